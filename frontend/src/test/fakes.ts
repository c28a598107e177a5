import { vi } from 'vitest';
import type { HealthReport } from '../stores/health';

/** A MediaQueryList whose `matches` the test flips, notifying listeners like a browser. */
export function fakeMediaQuery(initial: boolean) {
  const listeners = new Set<(event: MediaQueryListEvent) => void>();
  const list = {
    matches: initial,
    media: '(prefers-color-scheme: light)',
    addEventListener: (_type: string, listener: (event: MediaQueryListEvent) => void) => listeners.add(listener),
    removeEventListener: (_type: string, listener: (event: MediaQueryListEvent) => void) =>
      listeners.delete(listener),
  };
  return {
    list: list as unknown as MediaQueryList,
    listenerCount: () => listeners.size,
    set(matches: boolean) {
      list.matches = matches;
      for (const listener of listeners) listener({ matches } as MediaQueryListEvent);
    },
  };
}

export function jsonResponse(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json', ...headers } });
}

export const healthyReport: HealthReport = {
  status: 'ok',
  components: {
    postgres: { ok: true, detail: 'PostgreSQL 16.4' },
    redis: { ok: true, detail: 'PONG' },
    s3: { ok: true, detail: 'bucket seen-media' },
    sqs: { ok: true, detail: '2 queues' },
    dynamodb: { ok: true, detail: '2 tables' },
  },
};

/** Stubs global fetch with a function that answers by URL (path + query); returns the mock. */
export function stubFetch(answer: (url: string, request: Request) => Response | Promise<Response>) {
  const mock = vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
    const request = input instanceof Request ? input : new Request(new URL(String(input), location.origin), init);
    const url = new URL(request.url);
    return answer(url.pathname + url.search, request);
  });
  vi.stubGlobal('fetch', mock);
  return mock;
}

/** The Request a stubbed fetch received on its nth call. */
export function requestOf(mock: ReturnType<typeof stubFetch>, index: number): Request {
  const input = mock.mock.calls[index]?.[0];
  if (!(input instanceof Request)) throw new Error(`call ${index} did not pass a Request`);
  return input;
}

export const testUser = {
  id: '00000000-0000-4000-8000-000000000001',
  email: 'ada@example.com',
  displayName: 'Ada',
  role: 'user' as const,
  createdAt: '2026-01-01T00:00:00Z',
  lastLoginAt: null,
};

export function sessionBody(token = 'token-1') {
  return { user: testUser, accessToken: token, tokenType: 'Bearer', expiresIn: 900, csrfToken: 'csrf-1' };
}

/** Pretends the browser holds the session cookies (the refresh cookie itself is HttpOnly). */
export function setSessionCookie(value = 'csrf-1') {
  document.cookie = `seen_csrf=${value}; path=/`;
}

export function clearSessionCookie() {
  document.cookie = 'seen_csrf=; path=/; expires=Thu, 01 Jan 1970 00:00:00 GMT';
}

export type Route = (request: Request, url: URL) => Response | Promise<Response> | undefined;

export interface SentRequest {
  method: string;
  path: string;
  /** The parsed JSON body; undefined when there was none. */
  body: unknown;
}

/**
 * Wraps `routes` so each request they get is first recorded in `sent` (what a page sent, in order).
 * A recorded route must answer: one that returns undefined gets the 404 envelope, not the defaults.
 */
export function recordRequests(routes: Record<string, Route>): { routes: Record<string, Route>; sent: SentRequest[] } {
  const sent: SentRequest[] = [];
  const recording = Object.entries(routes).map(([key, route]): [string, Route] => [key, async (request, url) => {
    const text = await request.clone().text();
    sent.push({ method: request.method, path: url.pathname, body: text ? JSON.parse(text) : undefined });
    return (await route(request, url)) ?? jsonResponse(404, { error: { code: 'not_found', message: `No answer for ${key}` } });
  }]);
  return { routes: Object.fromEntries(recording), sent };
}

/**
 * A fake /seen/ API for page tests: `routes` maps "METHOD /path" (no query) to
 * handlers; auth and health answer by default so the shell can sign in.
 */
export function fakeApi(routes: Record<string, Route> = {}) {
  setSessionCookie();
  return stubFetch((_url, request) => {
    const url = new URL(request.url);
    const key = `${request.method} ${url.pathname}`;
    const handler = routes[key];
    const answered = handler?.(request, url);
    if (answered) return answered;
    if (key === 'POST /api/v1/auth/refresh') return jsonResponse(200, sessionBody());
    if (key === 'GET /api/v1/auth/me') return jsonResponse(200, testUser);
    if (key === 'GET /api/v1/health/ready') return jsonResponse(200, healthyReport);
    if (request.method === 'GET' && /\/(watch-later|favorites)$/.test(url.pathname)) {
      return jsonResponse(200, { items: [], page: 1, pageSize: 100, total: 0 });
    }
    return jsonResponse(404, { error: { code: 'not_found', message: `No fake for ${key}` } });
  });
}
