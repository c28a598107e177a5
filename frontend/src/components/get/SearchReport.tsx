import { A } from '@solidjs/router';
import Info from 'lucide-solid/icons/info';
import { createMemo, For, Show } from 'solid-js';
import { useSession } from '../../stores/session';
import { explainIndexer, nextSteps, type IndexerSearch } from './explain';

const ADMIN_INDEXERS = '/app/admin?tab=indexers';

/** Nothing to get: which indexers were asked with which query, what each rejected and why, and what to do next. */
export function SearchReport(props: { searched: readonly IndexerSearch[]; title: string }) {
  const session = useSession();
  const admin = () => session.user()?.role === 'admin';
  const steps = createMemo(() => nextSteps(props.searched, admin()));
  return (
    <section aria-label="Why nothing fits" class="flex flex-col gap-3 rounded-xl border border-line px-3.5 py-3 text-left text-sm text-ink-muted">
      <Show when={props.searched.length} fallback={<p>No indexer was asked: none is set up.</p>}>
        <ul aria-label="Indexers asked" class="flex flex-col gap-1.5">
          <For each={props.searched}>
            {(search) => (
              <li class="flex gap-2">
                <Info class="mt-0.5 size-4 shrink-0 text-ink-subtle" strokeWidth={1.75} />
                <span>{explainIndexer(search, props.title)}</span>
              </li>
            )}
          </For>
        </ul>
      </Show>
      <Show when={steps().length}>
        <div>
          <p class="font-medium text-ink">What you can do</p>
          <ul aria-label="What you can do" class="mt-1 list-disc space-y-0.5 pl-5">
            <For each={steps()}>{(step) => <li>{step}</li>}</For>
          </ul>
          <Show when={admin()}>
            <A href={ADMIN_INDEXERS} class="mt-2 inline-block text-accent-ink underline-offset-2 hover:underline">Open Admin → Indexers</A>
          </Show>
        </div>
      </Show>
    </section>
  );
}

/** The search behind a list that has releases to choose from, folded away. */
export function SearchedSummary(props: { searched: readonly IndexerSearch[]; title: string }) {
  return (
    <Show when={props.searched.length}>
      <details class="rounded-2xl border border-line">
        <summary class="cursor-pointer select-none rounded-2xl px-3.5 py-3 text-sm text-ink-muted hover:text-ink focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-accent">
          Searched {props.searched.length === 1 ? '1 indexer' : `${props.searched.length} indexers`}
        </summary>
        <ul aria-label="Indexers asked" class="flex flex-col gap-1.5 border-t border-line px-3.5 py-3 text-xs text-ink-muted">
          <For each={props.searched}>{(search) => <li>{explainIndexer(search, props.title)}</li>}</For>
        </ul>
      </details>
    </Show>
  );
}
