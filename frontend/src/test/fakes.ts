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

export function jsonResponse(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });
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

/** Stubs global fetch with a function that answers by URL; returns the mock. */
export function stubFetch(answer: (url: string, init?: RequestInit) => Response | Promise<Response>) {
  const mock = vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => answer(String(input), init));
  vi.stubGlobal('fetch', mock);
  return mock;
}
