import { render, screen, waitFor } from '@solidjs/testing-library';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { transport } from '../../api/client';
import { queryClient } from '../../api/queryClient';
import { createProfileStore } from '../../stores/profiles';
import { jsonResponse, sessionBody, stubFetch } from '../../test/fakes';
import { kid, owner, parent, profileList, testProfile } from '../../test/profiles';
import { ProfilePicker } from './ProfilePicker';

afterEach(() => transport.setToken(undefined));

/** The API: Bob's PIN is 1234; after `throttleAfter` wrong PINs it answers 429. */
function fakeProfilesApi(throttleAfter = Infinity) {
  let current = 'p-owner';
  let wrong = 0;
  const selects: { id: string; body: unknown }[] = [];
  stubFetch(async (url, request) => {
    if (url === '/api/v1/me/profiles') return jsonResponse(200, profileList(current));
    const select = /^\/api\/v1\/me\/profiles\/([^/]+)\/select$/.exec(url);
    if (select && request.method === 'POST') {
      const id = select[1] ?? '';
      const body = (await request.json()) as { pin?: string };
      selects.push({ id, body });
      if (wrong >= throttleAfter) {
        return new Response(JSON.stringify({ error: { code: 'rate_limited', message: 'Slow down' } }), {
          status: 429,
          headers: { 'Content-Type': 'application/json', 'Retry-After': '30' },
        });
      }
      if (id === parent.id && !body.pin) return jsonResponse(403, { error: { code: 'pin_required', message: 'PIN required' } });
      if (id === parent.id && body.pin !== '1234') {
        wrong += 1;
        return jsonResponse(403, { error: { code: 'wrong_pin', message: 'Wrong PIN' } });
      }
      current = id;
      return jsonResponse(200, sessionBody(`token-${id}`));
    }
    return jsonResponse(404, { error: { code: 'not_found', message: url } });
  });
  return { selects };
}

async function showPicker() {
  const store = createProfileStore();
  await store.load();
  const onChosen = vi.fn();
  render(() => <ProfilePicker store={store} onChosen={onChosen} />);
  return { store, onChosen };
}

const typePin = async (pin: string) => {
  for (const digit of pin) await userEvent.click(screen.getByRole('button', { name: digit }));
  await userEvent.click(screen.getByRole('button', { name: 'OK' }));
};

describe("the profile picker (Who's watching?)", () => {
  it('shows a tile per profile, with the PIN and kid ones named as such', async () => {
    fakeProfilesApi();
    await showPicker();
    expect(screen.getByRole('heading', { name: "Who's watching?" })).toBeInTheDocument();
    const tiles = screen.getAllByRole('button');
    expect(tiles.map((tile) => tile.getAttribute('aria-label'))).toEqual(['Ada', 'Bob, PIN protected', 'Kit, kid profile']);
  });

  it('picks a profile without a PIN at once: the token is swapped and every cached query forgotten', async () => {
    const { selects } = fakeProfilesApi();
    const { store, onChosen } = await showPicker();
    queryClient.setQueryData(['recommendations'], ['for Ada']);
    await userEvent.click(screen.getByRole('button', { name: 'Kit, kid profile' }));
    await waitFor(() => expect(onChosen).toHaveBeenCalledTimes(1));
    expect(selects).toEqual([{ id: kid.id, body: {} }]);
    expect(transport.token()).toBe(`token-${kid.id}`);
    expect(queryClient.getQueryData(['recommendations'])).toBeUndefined();
    expect([store.currentId(), store.isKid()]).toEqual([kid.id, true]);
  });

  it('asks for the PIN, says when it is wrong, and lets the right one in', async () => {
    const { selects } = fakeProfilesApi();
    const { store, onChosen } = await showPicker();
    await userEvent.click(screen.getByRole('button', { name: 'Bob, PIN protected' }));
    expect(selects).toEqual([]); // the PIN first, then one request
    expect(screen.getByRole('heading', { name: 'Bob' })).toBeInTheDocument();

    await typePin('9999');
    expect(await screen.findByText('Wrong PIN. Try again.')).toBeInTheDocument();
    expect(onChosen).not.toHaveBeenCalled();
    expect(transport.token()).toBeUndefined();

    await typePin('1234');
    await waitFor(() => expect(onChosen).toHaveBeenCalledTimes(1));
    expect(selects.map((s) => s.body)).toEqual([{ pin: '9999' }, { pin: '1234' }]);
    expect(transport.token()).toBe(`token-${parent.id}`);
    expect(store.current()?.name).toBe('Bob');
  });

  it('locks the pad with a countdown when the API throttles PIN tries', async () => {
    fakeProfilesApi(1);
    await showPicker();
    await userEvent.click(screen.getByRole('button', { name: 'Bob, PIN protected' }));
    await typePin('1111');
    expect(await screen.findByText('Wrong PIN. Try again.')).toBeInTheDocument();
    await typePin('2222');
    expect(await screen.findByText(/Too many wrong PINs\. Try again in 30 seconds\./)).toBeInTheDocument();
    expect(screen.getByRole('button', { name: '1' })).toBeDisabled();
  });

  it('goes back to the tiles from the PIN pad', async () => {
    fakeProfilesApi();
    await showPicker();
    await userEvent.click(screen.getByRole('button', { name: 'Bob, PIN protected' }));
    await userEvent.click(screen.getByRole('button', { name: 'Back to profiles' }));
    expect(screen.getByRole('heading', { name: "Who's watching?" })).toBeInTheDocument();
  });

  describe("from a kid's profile", () => {
    const partner = testProfile({ id: 'p-partner', name: 'Sam', isOwner: false });

    /** The API as a kid's session sees it: the owner's PIN is 2580 (none while `ownerHasPin` is false). */
    function fakeKidSession(ownerHasPin: boolean) {
      let current = kid.id;
      let pinSet = ownerHasPin;
      const selects: { id: string; body: Record<string, string> }[] = [];
      stubFetch(async (url, request) => {
        if (url === '/api/v1/me/profiles') return jsonResponse(200, profileList(current, [{ ...owner, hasPin: pinSet }, partner, kid]));
        const id = /^\/api\/v1\/me\/profiles\/([^/]+)\/select$/.exec(url)?.[1] ?? '';
        const body = (await request.json()) as Record<string, string>;
        selects.push({ id, body });
        if (!pinSet && body.password !== 'right password') {
          return jsonResponse(403, { error: { code: body.password ? 'invalid_credentials' : 'owner_pin_setup', message: 'no' } });
        }
        if (!pinSet) pinSet = true;
        else if (body.pin !== '2580') return jsonResponse(403, { error: { code: body.pin ? 'wrong_pin' : 'pin_required', message: 'no' } });
        current = id;
        return jsonResponse(200, sessionBody(`token-${id}`));
      });
      return { selects };
    }

    it("asks the account owner's PIN for an adult profile without one of its own", async () => {
      const { selects } = fakeKidSession(true);
      const { onChosen } = await showPicker();
      await userEvent.click(screen.getByRole('button', { name: 'Sam' }));
      expect(selects).toEqual([]);
      expect(screen.getByText("Enter the account owner's PIN to continue.")).toBeInTheDocument();
      await typePin('1111');
      expect(await screen.findByText('Wrong PIN. Try again.')).toBeInTheDocument();
      expect(onChosen).not.toHaveBeenCalled();
      await typePin('2580');
      await waitFor(() => expect(onChosen).toHaveBeenCalledTimes(1));
      expect(selects.map((s) => [s.id, s.body])).toEqual([
        [partner.id, { pin: '1111' }],
        [partner.id, { pin: '2580' }],
      ]);
    });

    it("sets the owner's PIN with the account's password while the owner has none", async () => {
      const { selects } = fakeKidSession(false);
      const { onChosen } = await showPicker();
      await userEvent.click(screen.getByRole('button', { name: 'Ada' }));
      expect(selects).toEqual([]);
      expect(screen.getByRole('form', { name: 'Set a PIN for Ada' })).toBeInTheDocument();
      await userEvent.type(screen.getByLabelText('Account password'), 'guess');
      await userEvent.type(screen.getByLabelText('New PIN for Ada'), '3690');
      await userEvent.click(screen.getByRole('button', { name: 'Set PIN and continue' }));
      expect(await screen.findByText('The password is wrong.')).toBeInTheDocument();
      expect(onChosen).not.toHaveBeenCalled();
      await userEvent.clear(screen.getByLabelText('Account password'));
      await userEvent.type(screen.getByLabelText('Account password'), 'right password');
      await userEvent.click(screen.getByRole('button', { name: 'Set PIN and continue' }));
      await waitFor(() => expect(onChosen).toHaveBeenCalledTimes(1));
      expect(selects.map((s) => s.body)).toEqual([
        { password: 'guess', ownerPin: '3690' },
        { password: 'right password', ownerPin: '3690' },
      ]);
      expect(transport.token()).toBe(`token-${owner.id}`);
    });
  });
});
