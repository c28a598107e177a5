/**
 * The SPA's data cache: one @tanstack/solid-query client for every page.
 *
 * - A failed query is an `ApiError` (the domain modules load through `call()`);
 *   network errors and 5xx are retried twice, 4xx never (asking again will not
 *   turn a 404 into data).
 * - Every page asks for fresh data when it opens, as it always did: what a user
 *   just changed on another page must show. The cache makes revisits instant
 *   (the last answer shows while the new one loads) and `staleTime` spares the
 *   other triggers (reconnect) a request per observer.
 * - A new key (next page, other filter) keeps the previous data on screen until
 *   its answer arrives (`keepPreviousData`), so lists do not flash.
 * - Window focus does not refetch: pages that must stay current poll
 *   (`pollEvery`), which keeps the e2e runs deterministic.
 */
import {
  keepPreviousData,
  notifyManager,
  QueryClient,
  QueryObserver,
  useQueryClient,
  type QueryKey,
  type QueryObserverOptions,
  type QueryObserverResult,
  type QueryState,
} from '@tanstack/solid-query';
import { batch, createComputed, createMemo, createSignal, on, onCleanup } from 'solid-js';
import { ApiError } from './client';

declare module '@tanstack/solid-query' {
  interface Register {
    defaultError: ApiError;
  }
}

// query-core defers observer notifications to a timer (setTimeout 0). Deliver them at once, in one Solid
// batch: a cache edit (setQueryData) is then visible to the next line that reads the query, as a signal
// write is, and optimistic edits read back what they just wrote.
notifyManager.setScheduler((notify) => notify());
notifyManager.setBatchNotifyFunction(batch);

const MAX_RETRIES = 2;

/** Whether a failed query is worth asking again: the API was unreachable or failed on its side. */
export function shouldRetry(failureCount: number, error: unknown): boolean {
  if (failureCount >= MAX_RETRIES) return false;
  if (!(error instanceof ApiError)) return false;
  return error.status === 0 || error.status >= 500;
}

export const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      retry: shouldRetry,
      staleTime: 30_000,
      refetchOnMount: 'always',
      refetchOnWindowFocus: false,
      placeholderData: keepPreviousData,
    },
    mutations: { retry: false },
  },
});

const MAX_POLL_MS = 60_000;
const failures = new WeakMap<object, { errorAt: number; count: number }>();

/** What polling reads of a query: its state. */
type Polled = { state: Pick<QueryState, 'status' | 'errorUpdatedAt' | 'dataUpdatedAt'> };

/** Failed fetches in a row, counted once per error (refetchInterval is asked more than once per update). */
function failuresInARow(query: Polled): number {
  const { errorUpdatedAt, dataUpdatedAt, status } = query.state;
  if (status !== 'error' || dataUpdatedAt > errorUpdatedAt) {
    failures.delete(query);
    return 0;
  }
  const seen = failures.get(query);
  if (seen?.errorAt === errorUpdatedAt) return seen.count;
  const count = (seen?.count ?? 0) + 1;
  failures.set(query, { errorAt: errorUpdatedAt, count });
  return count;
}

/**
 * A `refetchInterval` that polls every `ms` while the API answers and backs off
 * (doubling, up to a minute) while it fails; `false` stops polling.
 */
export function pollEvery(ms: number | false) {
  return (query: Polled): number | false => {
    if (ms === false) return false;
    const failed = failuresInARow(query);
    return failed ? Math.min(ms * 2 ** failed, Math.max(ms, MAX_POLL_MS)) : ms;
  };
}

/** A query's result as pages read it: `data` is undefined until the first answer. */
export type ApiQuery<T> = QueryObserverResult<T, ApiError>;

/**
 * A query for a component: the QueryObserver of the provider's client, its
 * result in a signal (read fields reactively: `query.data`, `query.error`,
 * `query.isFetching`), options re-read when the signals they use change.
 *
 * Not solid-query's `createQuery`: that one keeps its result in a
 * `createResource`, so reading `data` before the first answer suspends the
 * shell's `<Suspense>` (a blank page instead of the page's own skeleton), and
 * a cache edit made after a tab change (a router transition) never reached
 * the admin page's job list.
 */
export function createApiQuery<T, K extends QueryKey = QueryKey>(
  options: () => QueryObserverOptions<T, ApiError, T, T, K>,
): ApiQuery<T> {
  const client = useQueryClient();
  const defaulted = createMemo(() => ({ ...client.defaultQueryOptions(options()), _optimisticResults: 'optimistic' as const }));
  const observer = new QueryObserver<T, ApiError, T, T, K>(client, defaulted());
  const [result, setResult] = createSignal<ApiQuery<T>>(observer.getOptimisticResult(defaulted()), { equals: false });
  onCleanup(observer.subscribe((next) => setResult(() => next)));
  createComputed(
    on(
      defaulted,
      (next) => {
        observer.setOptions(next);
        setResult(() => observer.getOptimisticResult(next));
      },
      { defer: true },
    ),
  );
  return new Proxy({} as ApiQuery<T>, {
    get: (_, prop) => Reflect.get(result(), prop),
    has: (_, prop) => prop in result(),
  });
}

/** Replaces a query's cached data (an optimistic edit); the next fetch overwrites it. */
export function setQueryData<T>(key: QueryKey, update: (current: T | undefined) => T | undefined) {
  queryClient.setQueryData<T>(key, update);
}
