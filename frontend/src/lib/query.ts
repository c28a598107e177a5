import { createEffect, createSignal, on, onCleanup, type Accessor } from 'solid-js';
import { toApiError, type ApiError } from '../api/client';

/**
 * Loads data for a view: re-runs when `source` changes, keeps the previous data
 * while a new load is in flight (pagination does not flash), ignores answers to
 * superseded loads, and exposes the error as an ApiError.
 */
export interface Query<T> {
  data: Accessor<T | undefined>;
  error: Accessor<ApiError | undefined>;
  loading: Accessor<boolean>;
  refetch: () => Promise<void>;
  /** Local edits (optimistic updates) to the loaded data. */
  mutate: (update: T | ((current: T | undefined) => T | undefined)) => void;
}

export function createQuery<S, T>(
  source: Accessor<S | false | null | undefined>,
  fetcher: (source: S) => Promise<T>,
  options: { pollMs?: Accessor<number | false> } = {},
): Query<T> {
  const [data, setData] = createSignal<T>();
  const [error, setError] = createSignal<ApiError>();
  const [loading, setLoading] = createSignal(true);
  let version = 0;
  let current: S | undefined;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let disposed = false;

  const schedule = () => {
    clearTimeout(timer);
    const every = options.pollMs?.();
    if (every && !disposed) timer = setTimeout(() => void run(true), every);
  };

  const run = async (quiet = false) => {
    if (current === undefined) return;
    const mine = ++version;
    if (!quiet) setLoading(true);
    try {
      const result = await fetcher(current);
      if (mine !== version || disposed) return;
      setData(() => result);
      setError(undefined);
    } catch (err) {
      if (mine !== version || disposed) return;
      setError(toApiError(err));
    } finally {
      if (mine === version && !disposed) {
        setLoading(false);
        schedule();
      }
    }
  };

  createEffect(
    on(source, (value) => {
      if (value === false || value === null || value === undefined) return;
      current = value;
      void run();
    }),
  );
  if (options.pollMs) createEffect(on(options.pollMs, () => !loading() && schedule(), { defer: true }));

  onCleanup(() => {
    disposed = true;
    clearTimeout(timer);
  });

  return {
    data,
    error,
    loading,
    refetch: () => run(),
    mutate: (update) =>
      setData((prev) => (typeof update === 'function' ? (update as (c: T | undefined) => T | undefined)(prev) : update)),
  };
}
