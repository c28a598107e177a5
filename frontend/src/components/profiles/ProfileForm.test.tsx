import { render, screen, waitFor } from '@solidjs/testing-library';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { jsonResponse, recordRequests, stubFetch } from '../../test/fakes';
import { kid, owner } from '../../test/profiles';
import { profileBody, ProfileForm } from './ProfileForm';

const collections = [
  { id: 'c-1', name: 'Cartoons' },
  { id: 'c-2', name: 'Nature' },
] as never;

function answer(routes: Parameters<typeof recordRequests>[0]) {
  const { routes: recorded, sent } = recordRequests(routes);
  stubFetch((_url, request) => {
    const url = new URL(request.url);
    const route = recorded[`${request.method} ${url.pathname}`];
    return route ? (route(request, url) as Promise<Response>) : jsonResponse(404, { error: { code: 'not_found', message: 'none' } });
  });
  return sent;
}

describe('profileBody', () => {
  it('sends no rating or allow-list for an adult, and the PIN only when it changes', () => {
    const body = profileBody({ name: ' Bob ', kind: 'adult', maxRating: 'R', allowedCollections: ['c-1'], color: '#10b981', theme: 'dark' });
    expect(body).toEqual({ name: 'Bob', kind: 'adult', maxRating: null, allowedCollections: [], color: '#10b981', theme: 'dark' });
    expect(profileBody({ ...body, pin: null })).toHaveProperty('pin', null);
  });
});

describe('the profile form', () => {
  it('adds a kid profile with a rating, collections and a PIN', async () => {
    const sent = answer({ 'POST /api/v1/me/profiles': () => jsonResponse(201, kid) });
    const onSaved = vi.fn();
    render(() => <ProfileForm collections={collections} onSaved={onSaved} onCancel={() => {}} />);
    await userEvent.type(screen.getByLabelText('Name'), 'Kit');
    await userEvent.click(screen.getByLabelText('Kid'));
    await userEvent.selectOptions(screen.getByLabelText('Highest rating allowed'), 'TV-Y7');
    await userEvent.click(screen.getByLabelText('Cartoons'));
    await userEvent.type(screen.getByLabelText('PIN (optional)'), '12a34');
    await userEvent.click(screen.getByRole('button', { name: 'Add profile' }));
    await waitFor(() => expect(onSaved).toHaveBeenCalledWith(kid));
    expect(sent).toEqual([
      {
        method: 'POST',
        path: '/api/v1/me/profiles',
        body: { name: 'Kit', kind: 'kid', maxRating: 'TV-Y7', allowedCollections: ['c-1'], color: '#e50914', theme: 'dark', pin: '1234' },
      },
    ]);
  });

  it('refuses a PIN shorter than four digits before asking the API', async () => {
    const sent = answer({});
    render(() => <ProfileForm collections={[]} onSaved={() => {}} onCancel={() => {}} />);
    await userEvent.type(screen.getByLabelText('Name'), 'Bob');
    await userEvent.type(screen.getByLabelText('PIN (optional)'), '12');
    expect(screen.getByText('A PIN has 4 to 6 digits.')).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Add profile' })).toBeDisabled();
    expect(sent).toEqual([]);
  });

  it("shows the API's field errors under their fields, and a conflict as an alert", async () => {
    let conflict = false;
    answer({
      'POST /api/v1/me/profiles': () =>
        conflict
          ? jsonResponse(409, { error: { code: 'profile_name_taken', message: 'Another profile is called Bob.' } })
          : jsonResponse(422, { error: { code: 'validation_error', message: 'Invalid', fields: { maxRating: 'Unknown rating' } } }),
    });
    render(() => <ProfileForm collections={[]} onSaved={() => {}} onCancel={() => {}} />);
    await userEvent.type(screen.getByLabelText('Name'), 'Bob');
    await userEvent.click(screen.getByLabelText('Kid'));
    await userEvent.click(screen.getByRole('button', { name: 'Add profile' }));
    expect(await screen.findByText('Unknown rating')).toBeInTheDocument();
    expect(screen.getByLabelText('Highest rating allowed')).toHaveAttribute('aria-invalid', 'true');
    conflict = true;
    await userEvent.click(screen.getByRole('button', { name: 'Add profile' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('Another profile is called Bob.');
  });

  it("asks the owner's PIN with the household's first kid while the owner's profile has none", async () => {
    const sent = answer({ 'POST /api/v1/me/profiles': () => jsonResponse(201, kid) });
    const onSaved = vi.fn();
    render(() => <ProfileForm collections={[]} owner={owner} onSaved={onSaved} onCancel={() => {}} />);
    await userEvent.type(screen.getByLabelText('Name'), 'Kit');
    expect(screen.queryByLabelText('PIN for Ada (account owner)')).toBeNull(); // an adult needs none
    await userEvent.click(screen.getByLabelText('Kid'));
    expect(screen.getByRole('button', { name: 'Add profile' })).toBeDisabled();
    await userEvent.type(screen.getByLabelText('PIN for Ada (account owner)'), '2580');
    await userEvent.click(screen.getByRole('button', { name: 'Add profile' }));
    await waitFor(() => expect(onSaved).toHaveBeenCalledWith(kid));
    expect(sent[0]?.body).toMatchObject({ kind: 'kid', ownerPin: '2580' });
    expect(sent[0]?.body).not.toHaveProperty('pin');
  });

  it("does not ask the owner's PIN once the owner's profile has one", async () => {
    const sent = answer({ 'POST /api/v1/me/profiles': () => jsonResponse(201, kid) });
    render(() => <ProfileForm collections={[]} owner={{ ...owner, hasPin: true }} onSaved={() => {}} onCancel={() => {}} />);
    await userEvent.type(screen.getByLabelText('Name'), 'Kit');
    await userEvent.click(screen.getByLabelText('Kid'));
    expect(screen.queryByLabelText('PIN for Ada (account owner)')).toBeNull();
    await userEvent.click(screen.getByRole('button', { name: 'Add profile' }));
    await waitFor(() => expect(sent).toHaveLength(1));
    expect(sent[0]?.body).not.toHaveProperty('ownerPin');
  });

  it('edits a profile: the owner cannot become a kid, and a PIN can be removed', async () => {
    const sent = answer({ 'PATCH /api/v1/me/profiles/p-owner': () => jsonResponse(200, owner) });
    render(() => <ProfileForm profile={{ ...owner, hasPin: true }} collections={[]} onSaved={() => {}} onCancel={() => {}} />);
    expect(screen.getByLabelText('Kid')).toBeDisabled();
    await userEvent.click(screen.getByLabelText('Remove the PIN'));
    await userEvent.click(screen.getByRole('button', { name: 'Save profile' }));
    await waitFor(() => expect(sent).toHaveLength(1));
    expect(sent[0]?.body).toMatchObject({ name: 'Ada', kind: 'adult', pin: null });
  });
});
