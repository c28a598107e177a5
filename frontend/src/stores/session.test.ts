import { afterEach, describe, expect, it } from 'vitest';
import { createTransport } from '../api/client';
import { clearSessionCookie, jsonResponse, sessionBody, setSessionCookie, stubFetch, testUser } from '../test/fakes';
import { createSessionStore } from './session';

afterEach(() => clearSessionCookie());

describe('session store', () => {
  it('bootstraps to anonymous without asking the API when there is no session cookie', async () => {
    const fetch = stubFetch(() => jsonResponse(500, {}));
    const session = createSessionStore(createTransport());
    await expect(session.bootstrap()).resolves.toBe('anonymous');
    expect(fetch).not.toHaveBeenCalled();
  });

  it('bootstraps from the refresh cookie, then /auth/me, and keeps the token in memory only', async () => {
    setSessionCookie();
    const seen: string[] = [];
    stubFetch((url, request) => {
      seen.push(`${request.method} ${url} ${request.headers.get('Authorization') ?? ''}`.trim());
      if (url === '/api/v1/auth/refresh') return jsonResponse(200, sessionBody('boot'));
      return jsonResponse(200, { ...testUser, displayName: 'Ada L.' });
    });
    const transport = createTransport();
    const session = createSessionStore(transport);
    const [first, second] = await Promise.all([session.bootstrap(), session.bootstrap()]);
    expect([first, second]).toEqual(['authenticated', 'authenticated']);
    expect(session.user()?.displayName).toBe('Ada L.');
    expect(transport.token()).toBe('boot');
    expect(localStorage.length + sessionStorage.length).toBe(0);
    expect(seen.filter((line) => line.includes('/auth/refresh'))).toHaveLength(1);
  });

  it('ends anonymous when the refresh is refused', async () => {
    setSessionCookie();
    stubFetch(() => jsonResponse(401, { error: { code: 'session_revoked', message: 'gone' } }));
    const session = createSessionStore(createTransport());
    await expect(session.bootstrap()).resolves.toBe('anonymous');
    expect(session.user()).toBeUndefined();
  });

  it('expire() signs out and remembers that the session ended on its own', async () => {
    stubFetch(() => jsonResponse(200, sessionBody('t')));
    const transport = createTransport();
    const session = createSessionStore(transport);
    await session.login('ada@example.com', 'correct horse battery');
    expect(session.status()).toBe('authenticated');
    session.expire();
    expect([session.status(), session.expired(), transport.token()]).toEqual(['anonymous', true, undefined]);
  });
});
