import { afterEach, describe, expect, it, vi } from 'vitest';
import { transport as appTransport } from '../api/client';
import { queryClient } from '../api/queryClient';
import { jsonResponse, sessionBody, stubFetch } from '../test/fakes';
import { kid, owner, profileList } from '../test/profiles';
import { createProfileStore } from './profiles';

afterEach(() => {
  vi.unstubAllGlobals();
  appTransport.setToken(undefined);
});

function store() {
  // The API calls go through the app's client, so the store swaps the app transport's token.
  const transport = appTransport;
  const forget = vi.fn(() => queryClient.clear());
  const applyTheme = vi.fn();
  return { transport, forget, applyTheme, profiles: createProfileStore({ transport, forget, applyTheme }) };
}

describe('the profile store', () => {
  it('knows the current profile and whether it is a kid from GET /me/profiles', async () => {
    stubFetch(() => jsonResponse(200, profileList(kid.id)));
    const { profiles } = store();
    expect([profiles.ready(), profiles.isKid()]).toEqual([false, false]);
    await profiles.ensureLoaded();
    expect(profiles.ready()).toBe(true);
    expect(profiles.current()?.name).toBe('Kit');
    expect(profiles.isKid()).toBe(true);
  });

  it('falls back to the owner profile when the list names no current one', async () => {
    stubFetch(() => jsonResponse(200, { items: [kid, owner], currentId: null }));
    const { profiles } = store();
    await profiles.load();
    expect(profiles.currentId()).toBe(owner.id);
    expect(profiles.isKid()).toBe(false);
  });

  it('reads a server without profiles (404) as one adult, not as an error', async () => {
    stubFetch(() => jsonResponse(404, { error: { code: 'not_found', message: 'No route' } }));
    const { profiles } = store();
    await profiles.ensureLoaded();
    expect([profiles.ready(), profiles.profiles(), profiles.isKid(), profiles.error()]).toEqual([true, [], false, undefined]);
  });

  it('keeps a failed load as an error, and loads again on the next ensureLoaded', async () => {
    let fail = true;
    const fetch = stubFetch(() => (fail ? jsonResponse(503, { error: { code: 'unavailable', message: 'down' } }) : jsonResponse(200, profileList())));
    const { profiles } = store();
    await profiles.ensureLoaded();
    expect(profiles.error()?.status).toBe(503);
    fail = false;
    await profiles.ensureLoaded();
    expect([profiles.error(), profiles.profiles().length, fetch.mock.calls.length]).toEqual([undefined, 3, 2]);
  });

  it('select swaps the access token, forgets the cache before anything reads it, and applies the theme', async () => {
    let current = owner.id;
    const order: string[] = [];
    stubFetch((url, request) => {
      order.push(`${request.method} ${url} ${request.headers.get('Authorization') ?? ''}`.trim());
      if (url === `/api/v1/me/profiles/${kid.id}/select`) {
        current = kid.id;
        return jsonResponse(200, sessionBody('kid-token'));
      }
      return jsonResponse(200, profileList(current));
    });
    const { profiles, transport, forget, applyTheme } = store();
    transport.setToken('owner-token');
    await profiles.load();
    queryClient.setQueryData(['watched'], ['owner history']);

    const chosen = await profiles.select(kid.id);
    expect(chosen?.id).toBe(kid.id);
    expect(transport.token()).toBe('kid-token');
    expect(forget).toHaveBeenCalledTimes(1);
    expect(queryClient.getQueryData(['watched'])).toBeUndefined();
    expect(applyTheme).toHaveBeenCalledWith('light');
    expect(order).toEqual([
      'GET /api/v1/me/profiles Bearer owner-token',
      `POST /api/v1/me/profiles/${kid.id}/select Bearer owner-token`,
      'GET /api/v1/me/profiles Bearer kid-token',
    ]);
    expect(profiles.isKid()).toBe(true);
  });

  it('a refused select changes nothing', async () => {
    stubFetch((url) =>
      url.endsWith('/select') ? jsonResponse(403, { error: { code: 'wrong_pin', message: 'Wrong PIN' } }) : jsonResponse(200, profileList()),
    );
    const { profiles, transport, forget } = store();
    transport.setToken('owner-token');
    await profiles.load();
    await expect(profiles.select('p-pin', '0000')).rejects.toMatchObject({ status: 403, code: 'wrong_pin' });
    expect([transport.token(), profiles.currentId(), forget.mock.calls.length]).toEqual(['owner-token', owner.id, 0]);
  });

  it('reset forgets the profiles (signing out)', async () => {
    stubFetch(() => jsonResponse(200, profileList(kid.id)));
    const { profiles } = store();
    await profiles.load();
    profiles.reset();
    expect([profiles.ready(), profiles.isKid(), profiles.profiles()]).toEqual([false, false, []]);
  });
});
