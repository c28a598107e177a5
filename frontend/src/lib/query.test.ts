import { createRoot, createSignal } from 'solid-js';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ApiError } from '../api/client';
import { createQuery } from './query';

afterEach(() => vi.useRealTimers());

const flush = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('createQuery', () => {
  it('loads, exposes the error as an ApiError, and refetches', async () => {
    let fail = true;
    await createRoot(async (dispose) => {
      const q = createQuery(() => 1, async () => {
        if (fail) throw new ApiError(503, 'service_unavailable', 'Down for a moment');
        return 'ok';
      });
      await flush();
      expect(q.error()?.code).toBe('service_unavailable');
      expect(q.data()).toBeUndefined();
      fail = false;
      await q.refetch();
      expect([q.data(), q.error(), q.loading()]).toEqual(['ok', undefined, false]);
      dispose();
    });
  });

  it('ignores the answer of a superseded load (fast pagination)', async () => {
    const resolvers: Record<number, (value: string) => void> = {};
    await createRoot(async (dispose) => {
      const [page, setPage] = createSignal(1);
      const q = createQuery(page, (p) => new Promise<string>((resolve) => (resolvers[p] = resolve)));
      await flush();
      setPage(2);
      await flush();
      resolvers[2]!('page 2');
      await flush();
      resolvers[1]!('page 1'); // arrives late
      await flush();
      expect(q.data()).toBe('page 2');
      dispose();
    });
  });

  it('polls while pollMs gives a number and stops when it gives false', async () => {
    vi.useFakeTimers();
    let calls = 0;
    const [active, setActive] = createSignal(true);
    const dispose = createRoot((d) => {
      createQuery(() => 'jobs', async () => ++calls, { pollMs: () => (active() ? 2500 : false) });
      return d;
    });
    await vi.advanceTimersByTimeAsync(0);
    expect(calls).toBe(1);
    await vi.advanceTimersByTimeAsync(2500);
    expect(calls).toBe(2);
    await vi.advanceTimersByTimeAsync(2500);
    expect(calls).toBe(3);
    setActive(false); // e.g. the last download finished
    await vi.advanceTimersByTimeAsync(10_000);
    expect(calls).toBe(3);
    setActive(true); // a new one was added
    await vi.advanceTimersByTimeAsync(2500);
    expect(calls).toBe(4);
    dispose();
    await vi.advanceTimersByTimeAsync(10_000);
    expect(calls).toBe(4); // unmounted: no more polling
  });
});
