import { createMemo, createSignal, Match, Switch, type Accessor, type JSX } from 'solid-js';
import { toApiError } from '../../api/client';
import type { ApiQuery } from '../../api/queryClient';
import { ErrorState } from './ErrorState';

/** What QueryView and DetailFrame read of a query. */
export interface Loaded<T> {
  data: () => T | undefined;
  error: () => unknown;
  /** A load the user waits for: a new key over the previous data, or a retry. */
  loading: () => boolean;
  /** Any request in flight, quiet ones too (the refetch every page makes when it opens over cached data). */
  fetching: () => boolean;
  refetch: () => void;
}

export function loadedOf<T>(query: ApiQuery<T>): Loaded<T> {
  // Polls refetch quietly; only a retry the user asked for (or a new key) counts as loading.
  const [retrying, setRetrying] = createSignal(false);
  return {
    data: () => query.data,
    error: () => query.error ?? undefined,
    loading: () => query.isFetching && (query.isPlaceholderData || retrying()),
    fetching: () => query.isFetching,
    refetch: () => {
      setRetrying(true);
      void query.refetch().finally(() => setRetrying(false));
    },
  };
}

/**
 * The three states of every list: loading (skeleton), error (ApiError with
 * retry), empty; otherwise the content. While a reload runs over existing data
 * the content stays, dimmed. `data-fetching` marks the content while any request
 * is in flight: what shows may be the cached answer (tests wait for it to go).
 */
export function QueryView<T>(props: {
  query: ApiQuery<T>;
  loading: JSX.Element;
  empty?: JSX.Element;
  isEmpty?: (data: T) => boolean;
  errorTitle?: string;
  /** Called once; read `data()` inside so updates (polls, optimistic edits) patch the view instead of rebuilding it. */
  children: (data: Accessor<T>) => JSX.Element;
}) {
  const query = createMemo(() => loadedOf(props.query));
  const data = () => query().data();
  const error = () => query().error();
  return (
    <Switch>
      <Match when={error() && !query().loading()}>
        <ErrorState error={toApiError(error())} title={props.errorTitle} onRetry={() => query().refetch()} />
      </Match>
      <Match when={data() === undefined}>{props.loading}</Match>
      <Match when={props.empty && props.isEmpty?.(data() as T)}>{props.empty}</Match>
      <Match when={true}>
        <div
          class="transition-opacity duration-300"
          classList={{ 'opacity-60 pointer-events-none': query().loading() }}
          aria-busy={query().loading()}
          data-fetching={query().fetching() ? '' : undefined}
        >
          {props.children(data as Accessor<T>)}
        </div>
      </Match>
    </Switch>
  );
}
