import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { clearSessionCookie, jsonResponse, requestOf, sessionBody, setSessionCookie, stubFetch } from '../test/fakes';
import { api, ApiError, call, createTransport, transport } from './client';

async function caught(promise: Promise<unknown>): Promise<ApiError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof ApiError) return error;
    throw error;
  }
  throw new Error('expected the call to fail');
}

const expired = () => jsonResponse(401, { error: { code: 'token_expired', message: 'The access token expired' } });

beforeEach(() => transport.setToken(undefined));
afterEach(() => clearSessionCookie());

describe('api client: responses and errors', () => {
  it('calls same-origin /api/v1 with the typed path and query, and returns the JSON', async () => {
    const fetch = stubFetch(() => jsonResponse(200, { items: [], page: 2, pageSize: 20, total: 0 }));
    const data = await call(api.GET('/api/v1/movies', { params: { query: { page: 2, sort: 'newest' } } }));
    expect(data).toEqual({ items: [], page: 2, pageSize: 20, total: 0 });
    const request = requestOf(fetch, 0);
    expect(new URL(request.url).origin).toBe(location.origin);
    expect(request.url).toContain('/api/v1/movies?page=2&sort=newest');
    expect(request.method).toBe('GET');
  });

  it('sends a JSON body and the bearer token it holds', async () => {
    const fetch = stubFetch(() => jsonResponse(201, { id: 'job-1' }));
    transport.setToken('abc');
    await call(api.POST('/api/v1/downloads', { body: { sourceType: 'http', source: 'http://example.test/a.mkv' } }));
    const request = requestOf(fetch, 0);
    expect(request.headers.get('Authorization')).toBe('Bearer abc');
    expect(request.headers.get('Content-Type')).toBe('application/json');
    expect(await request.json()).toEqual({ sourceType: 'http', source: 'http://example.test/a.mkv' });
  });

  it('returns undefined for 204 No Content', async () => {
    stubFetch(() => new Response(null, { status: 204 }));
    await expect(
      call(api.DELETE('/api/v1/watch-later/{media_id}', { params: { path: { media_id: '42' } } })),
    ).resolves.toBeUndefined();
  });

  it('turns the error envelope into an ApiError with code, message and fields', async () => {
    const envelope = {
      error: { code: 'validation_error', message: 'Some fields are invalid.', fields: { email: 'Not an email.', tags: ['Too many.', 'Duplicate.'] } },
    };
    stubFetch(() => jsonResponse(422, envelope));
    const error = await caught(call(api.POST('/api/v1/auth/register', { body: { email: 'nope', password: 'x' } })));
    expect(error.status).toBe(422);
    expect(error.code).toBe('validation_error');
    expect(error.message).toBe('Some fields are invalid.');
    expect(error.fields).toEqual({ email: 'Not an email.', tags: 'Too many. Duplicate.' });
    expect(error.body).toEqual(envelope);
  });

  it('reads Retry-After on a 429', async () => {
    stubFetch(() =>
      new Response(JSON.stringify({ error: { code: 'rate_limited', message: 'Too many requests; try again later' } }), {
        status: 429,
        headers: { 'Content-Type': 'application/json', 'Retry-After': '42' },
      }),
    );
    const error = await caught(call(api.POST('/api/v1/auth/login', { body: { email: 'a@b.c', password: 'p' } })));
    expect([error.code, error.retryAfter]).toEqual(['rate_limited', 42]);
  });

  it('sends a request refused as too_many_in_flight again after its Retry-After, body and all', async () => {
    const busy = () =>
      jsonResponse(429, { error: { code: 'too_many_in_flight', message: 'You have too many requests running' } }, { 'Retry-After': '0.02' });
    const bodies: string[] = [];
    let calls = 0;
    stubFetch(async (_url, request) => {
      bodies.push(await request.text());
      calls += 1;
      return calls < 3 ? busy() : jsonResponse(201, { id: 'w1' });
    });
    const login = api.POST('/api/v1/auth/login', { body: { email: 'a@b.c', password: 'p' } });
    await expect(call(login)).resolves.toEqual({ id: 'w1' });
    expect(bodies).toEqual(Array(3).fill('{"email":"a@b.c","password":"p"}'));
  });

  it('lets any other 429 surface at once (a rate limit is an answer, not a busy moment)', async () => {
    const fetch = stubFetch(() => jsonResponse(429, { error: { code: 'rate_limited', message: 'Too many' } }, { 'Retry-After': '0.02' }));
    const error = await caught(call(api.POST('/api/v1/auth/login', { body: { email: 'a@b.c', password: 'p' } })));
    expect(error.code).toBe('rate_limited');
    expect(fetch).toHaveBeenCalledTimes(1);
  });

  it('survives a non-JSON error body (e.g. a proxy page)', async () => {
    stubFetch(() => new Response('<html><body>502 Bad Gateway</body></html>', { status: 502 }));
    const error = await caught(call(api.GET('/api/v1/genres')));
    expect([error.status, error.code]).toEqual([502, 'http_502']);
    expect(error.message).toBe('The server had a problem handling this request.');
    expect(error.body).toContain('502 Bad Gateway');
  });

  it('reports an unreachable API as a network_error with status 0', async () => {
    stubFetch(() => Promise.reject(new TypeError('Failed to fetch')));
    const error = await caught(call(api.GET('/api/v1/health/ready')));
    expect([error.status, error.code]).toEqual([0, 'network_error']);
  });

  it('rejects a 200 whose body is not JSON', async () => {
    stubFetch(() => new Response('<!doctype html><title>/seen/</title>', { status: 200 }));
    const error = await caught(call(api.GET('/api/v1/genres')));
    expect(error.code).toBe('invalid_response');
  });
});

describe('api client: refresh on 401', () => {
  it('refreshes once with the CSRF cookie echoed, then retries with the new token', async () => {
    setSessionCookie('csrf-xyz');
    transport.setToken('old');
    const fetch = stubFetch((url, request) => {
      if (url === '/api/v1/auth/refresh') return jsonResponse(200, sessionBody('new'));
      return request.headers.get('Authorization') === 'Bearer new' ? jsonResponse(200, { ok: 1 }) : expired();
    });

    await expect(call(api.GET('/api/v1/auth/me'))).resolves.toEqual({ ok: 1 });

    const urls = fetch.mock.calls.map((_, i) => new URL(requestOf(fetch, i).url).pathname);
    expect(urls).toEqual(['/api/v1/auth/me', '/api/v1/auth/refresh', '/api/v1/auth/me']);
    const refresh = requestOf(fetch, 1);
    expect(refresh.method).toBe('POST');
    expect(refresh.headers.get('X-CSRF-Token')).toBe('csrf-xyz');
    expect(refresh.credentials).toBe('include');
    expect(transport.token()).toBe('new');
  });

  it('retries a request with a body, sending the same body again', async () => {
    setSessionCookie();
    const bodies: unknown[] = [];
    stubFetch(async (url, request) => {
      if (url === '/api/v1/auth/refresh') return jsonResponse(200, sessionBody('new'));
      bodies.push(await request.json());
      return request.headers.get('Authorization') ? jsonResponse(201, { id: 'c1' }) : expired();
    });
    await call(api.POST('/api/v1/collections', { body: { name: 'Noir' } }));
    expect(bodies).toEqual([{ name: 'Noir' }, { name: 'Noir' }]);
  });

  it('shares one refresh between 401s that arrive together', async () => {
    setSessionCookie();
    let refreshes = 0;
    stubFetch(async (url, request) => {
      if (url === '/api/v1/auth/refresh') {
        refreshes += 1;
        await new Promise((resolve) => setTimeout(resolve, 10));
        return jsonResponse(200, sessionBody(`t${refreshes}`));
      }
      return request.headers.get('Authorization') ? jsonResponse(200, { url }) : expired();
    });
    const results = await Promise.all([
      call(api.GET('/api/v1/genres')),
      call(api.GET('/api/v1/collections')),
      call(api.GET('/api/v1/follows')),
    ]);
    expect(refreshes).toBe(1);
    expect(results.map((r) => (r as unknown as { url: string }).url)).toEqual(['/api/v1/genres', '/api/v1/collections', '/api/v1/follows']);
  });

  it('does not refresh again when a late 401 arrives after another request already refreshed', async () => {
    setSessionCookie();
    let refreshes = 0;
    let releaseSlow!: () => void;
    const slowGate = new Promise<void>((resolve) => (releaseSlow = resolve));
    const local = createTransport();
    local.setToken('old');
    stubFetch(async (url, request) => {
      if (url === '/api/v1/auth/refresh') {
        refreshes += 1;
        return jsonResponse(200, sessionBody(`t${refreshes}`));
      }
      if (request.headers.get('Authorization') === 'Bearer old') {
        if (url === '/api/v1/genres') await slowGate; // its 401 comes back only after the refresh
        return expired();
      }
      return jsonResponse(200, { token: request.headers.get('Authorization') });
    });
    const slow = local.fetch(new Request(`${location.origin}/api/v1/genres`));
    const fast = await local.fetch(new Request(`${location.origin}/api/v1/follows`));
    expect(await fast.json()).toEqual({ token: 'Bearer t1' });
    releaseSlow();
    expect(await (await slow).json()).toEqual({ token: 'Bearer t1' });
    expect(refreshes).toBe(1);
  });

  it('gives up after one failed refresh: the original 401 surfaces and the session is lost', async () => {
    setSessionCookie();
    const lost = vi.fn();
    const local = createTransport({ onSessionLost: lost });
    local.setToken('old');
    const fetch = stubFetch((url) =>
      url === '/api/v1/auth/refresh'
        ? jsonResponse(401, { error: { code: 'session_revoked', message: 'Signed out elsewhere' } })
        : expired(),
    );
    const response = await local.fetch(new Request(`${location.origin}/api/v1/watch-later`));
    expect(response.status).toBe(401);
    expect(fetch).toHaveBeenCalledTimes(2);
    expect(lost).toHaveBeenCalledOnce();
    expect(local.token()).toBeUndefined();
  });

  it('waits out a rate-limited refresh (Retry-After) instead of losing the session', async () => {
    setSessionCookie();
    const lost = vi.fn();
    const local = createTransport({ onSessionLost: lost });
    let refreshes = 0;
    const fetch = stubFetch((url) => {
      if (url !== '/api/v1/auth/refresh') return expired();
      refreshes += 1;
      return refreshes === 1
        ? new Response(JSON.stringify({ error: { code: 'rate_limited', message: 'Too many' } }), {
            status: 429,
            headers: { 'Content-Type': 'application/json', 'Retry-After': '0.02' },
          })
        : jsonResponse(200, sessionBody('new'));
    });
    await expect(local.refresh()).resolves.toMatchObject({ accessToken: 'new' });
    expect(refreshes).toBe(2);
    expect(fetch).toHaveBeenCalledTimes(2);
    expect(lost).not.toHaveBeenCalled();
    expect(local.token()).toBe('new');
  });

  it('does not try to refresh without the CSRF cookie (never signed in)', async () => {
    const lost = vi.fn();
    const local = createTransport({ onSessionLost: lost });
    const fetch = stubFetch(() => expired());
    const response = await local.fetch(new Request(`${location.origin}/api/v1/watch-later`));
    expect(response.status).toBe(401);
    expect(fetch).toHaveBeenCalledTimes(1);
    expect(lost).toHaveBeenCalledOnce();
  });

  it('never refreshes for a failed login: wrong credentials are an answer, not an expiry', async () => {
    setSessionCookie();
    const fetch = stubFetch(() =>
      jsonResponse(401, { error: { code: 'invalid_credentials', message: 'Wrong e-mail or password' } }),
    );
    const error = await caught(call(api.POST('/api/v1/auth/login', { body: { email: 'a@b.c', password: 'nope' } })));
    expect(error.code).toBe('invalid_credentials');
    expect(fetch).toHaveBeenCalledTimes(1);
  });
});
