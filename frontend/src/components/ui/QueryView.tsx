import { Match, Switch, type Accessor, type JSX } from 'solid-js';
import type { Query } from '../../lib/query';
import { ErrorState } from './ErrorState';

/**
 * The three states of every list: loading (skeleton), error (ApiError with
 * retry), empty; otherwise the content. While a reload runs over existing data
 * the content stays, dimmed.
 */
export function QueryView<T>(props: {
  query: Query<T>;
  loading: JSX.Element;
  empty?: JSX.Element;
  isEmpty?: (data: T) => boolean;
  errorTitle?: string;
  /** Called once; read `data()` inside so updates (polls, optimistic edits) patch the view instead of rebuilding it. */
  children: (data: Accessor<T>) => JSX.Element;
}) {
  const data = () => props.query.data();
  return (
    <Switch>
      <Match when={props.query.error() && !props.query.loading()}>
        <ErrorState error={props.query.error()!} title={props.errorTitle} onRetry={() => void props.query.refetch()} />
      </Match>
      <Match when={data() === undefined}>{props.loading}</Match>
      <Match when={props.empty && props.isEmpty?.(data() as T)}>{props.empty}</Match>
      <Match when={true}>
        <div
          class="transition-opacity duration-300"
          classList={{ 'opacity-60 pointer-events-none': props.query.loading() }}
          aria-busy={props.query.loading()}
        >
          {props.children(data as Accessor<T>)}
        </div>
      </Match>
    </Switch>
  );
}
