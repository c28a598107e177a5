import { QueryClient, QueryClientProvider, createQuery } from '@tanstack/solid-query';
import { render, screen } from '@solidjs/testing-library';
import { Suspense } from 'solid-js';
import { describe, expect, it } from 'vitest';
import { testQueryClient } from '../test/query';
import { ApiError } from './client';
import { createApiQuery, pollEvery, setQueryData, shouldRetry } from './queryClient';
import { renderWithQuery } from '../test/query';

function errored(errorUpdatedAt: number, dataUpdatedAt = 0) {
  return { state: { status: 'error', errorUpdatedAt, dataUpdatedAt } } as never;
}

describe('shouldRetry', () => {
  it('asks again after network errors and 5xx, twice at most', () => {
    expect(shouldRetry(0, new ApiError(0, 'network_error', 'down'))).toBe(true);
    expect(shouldRetry(1, new ApiError(503, 'http_503', 'busy'))).toBe(true);
    expect(shouldRetry(2, new ApiError(500, 'http_500', 'boom'))).toBe(false);
  });

  it('never repeats a 4xx or an error that is not from the API', () => {
    expect(shouldRetry(0, new ApiError(404, 'not_found', 'gone'))).toBe(false);
    expect(shouldRetry(0, new ApiError(429, 'rate_limited', 'slow down'))).toBe(false);
    expect(shouldRetry(0, new TypeError('bug'))).toBe(false);
  });
});

describe('pollEvery', () => {
  it('polls at the given pace while the API answers', () => {
    const query = { state: { status: 'success', errorUpdatedAt: 0, dataUpdatedAt: 5 } } as never;
    expect(pollEvery(2000)(query)).toBe(2000);
    expect(pollEvery(false)(query)).toBe(false);
  });

  it('doubles the wait for every failure in a row, up to a minute, and resets on success', () => {
    const interval = pollEvery(5000);
    const query = errored(10) as { state: { errorUpdatedAt: number; dataUpdatedAt: number; status: string } };
    expect(interval(query as never)).toBe(10_000);
    expect(interval(query as never)).toBe(10_000); // asked again for the same failure
    query.state.errorUpdatedAt = 20;
    expect(interval(query as never)).toBe(20_000);
    for (const at of [30, 40, 50]) {
      query.state.errorUpdatedAt = at;
      interval(query as never);
    }
    expect(interval(query as never)).toBe(60_000);
    Object.assign(query.state, { status: 'success', dataUpdatedAt: 60 });
    expect(interval(query as never)).toBe(5000);
  });
});

describe('createApiQuery', () => {
  function Probe(props: { load: () => Promise<string> }) {
    const query = createApiQuery(() => ({ queryKey: ['probe'], queryFn: props.load }));
    return <p>{query.data ?? 'skeleton'}</p>;
  }

  it('shows the page while the first answer is pending instead of suspending it', async () => {
    let answer!: (value: string) => void;
    const load = () => new Promise<string>((resolve) => (answer = resolve));
    render(() => (
      <QueryClientProvider client={testQueryClient()}>
        <Suspense fallback={<p>suspended</p>}>
          <Probe load={load} />
        </Suspense>
      </QueryClientProvider>
    ));
    expect(screen.getByText('skeleton')).toBeInTheDocument();
    answer('loaded');
    expect(await screen.findByText('loaded')).toBeInTheDocument();
  });

  it('reads back a cache edit on the next line, as an optimistic update needs', async () => {
    let query!: ReturnType<typeof createApiQuery<string[]>>;
    function Probe() {
      query = createApiQuery(() => ({ queryKey: ['list'], queryFn: async () => ['a', 'b'] }));
      return <ul>{(query.data ?? []).join(',')}</ul>;
    }
    renderWithQuery(() => <Probe />);
    expect(await screen.findByText('a,b')).toBeInTheDocument();
    setQueryData<string[]>(['list'], (items) => items?.filter((item) => item !== 'a'));
    expect(query.data).toEqual(['b']);
    expect(screen.getByText('b')).toBeInTheDocument();
  });

  it('is needed: a bare createQuery suspends the boundary', () => {
    function Bare() {
      const query = createQuery(() => ({ queryKey: ['bare'], queryFn: () => new Promise<string>(() => {}) }));
      return <p>{query.data ?? 'skeleton'}</p>;
    }
    render(() => (
      <QueryClientProvider client={new QueryClient()}>
        <Suspense fallback={<p>suspended</p>}>
          <Bare />
        </Suspense>
      </QueryClientProvider>
    ));
    expect(screen.getByText('suspended')).toBeInTheDocument();
  });
});
