import { A } from '@solidjs/router';
import FileQuestion from 'lucide-solid/icons/file-question-mark';
import { createEffect, createMemo, Match, Switch, type JSX } from 'solid-js';
import { toApiError } from '../../api/client';
import type { ApiQuery } from '../../api/queryClient';
import { buttonStyles } from '../ui/button';
import { EmptyState } from '../ui/EmptyState';
import { ErrorState } from '../ui/ErrorState';
import { loadedOf } from '../ui/QueryView';
import { Skeleton } from '../ui/Skeleton';

function DetailSkeleton() {
  return (
    <div role="status" class="animate-enter">
      <span class="sr-only">Loading title…</span>
      <div aria-hidden="true" class="-mx-5 -mt-10 mb-10 bg-surface/60 px-5 pb-14 pt-24 sm:-mx-8 sm:px-8 lg:-mx-12 lg:-mt-14 lg:px-12 lg:pt-32">
        <div class="flex items-end gap-10">
          <Skeleton class="aspect-[2/3] w-36 rounded-xl sm:w-48 lg:w-60" />
          <div class="flex-1 space-y-4">
            <Skeleton class="h-12 w-2/3" />
            <Skeleton class="h-4 w-1/3" />
            <Skeleton class="h-11 w-80 max-w-full rounded-full" />
          </div>
        </div>
      </div>
    </div>
  );
}

/** Loading, not-found and error states around a detail page. */
export function DetailFrame<T extends { title: string }>(props: {
  query: ApiQuery<T>;
  noun: string;
  backHref: string;
  children: (data: T) => JSX.Element;
}) {
  const query = createMemo(() => loadedOf(props.query));
  const error = () => (query().error() ? toApiError(query().error()) : undefined);
  createEffect(() => {
    const data = query().data();
    if (data) document.title = `${data.title} · /seen/`;
  });
  return (
    <Switch fallback={<DetailSkeleton />}>
      <Match when={error()?.status === 404}>
        <EmptyState
          icon={FileQuestion}
          title={`This ${props.noun} isn't in the catalog`}
          body="It may have been removed, or the link is wrong."
          action={<A href={props.backHref} class={buttonStyles.secondary}>Browse {props.noun}s</A>}
        />
      </Match>
      <Match when={error() && !query().data()}>
        <ErrorState error={error()!} onRetry={() => query().refetch()} />
      </Match>
      {/* keyed: a new object (an edit saved) renders the page afresh with it */}
      <Match when={query().data()} keyed>
        {(data) => <article aria-labelledby="page-title" class="animate-enter">{props.children(data)}</article>}
      </Match>
    </Switch>
  );
}
