import { A, useSearchParams } from '@solidjs/router';
import Sparkles from 'lucide-solid/icons/sparkles';
import { createMemo, For, Show } from 'solid-js';
import { unwrap } from 'solid-js/store';
import { createApiQuery, setQueryData } from '../api/queryClient';
import { dismissRecommendation, fetchRecommendations, recommendationKeys } from '../api/recommendations';
import type { MediaType } from '../api/types';
import { RecCard, type Recommendation } from '../components/recommendations/RecCard';
import { buttonStyles } from '../components/ui/button';
import { EmptyState } from '../components/ui/EmptyState';
import { chipStyles } from '../components/ui/form';
import { Page } from '../components/ui/Page';
import { Pagination } from '../components/ui/Pagination';
import { QueryView } from '../components/ui/QueryView';
import { GridSkeleton } from '../components/ui/Skeleton';
import { formatRelative } from '../lib/format';
import { optimistic } from '../lib/optimistic';

const TYPES: { value: MediaType | undefined; label: string }[] = [
  { value: undefined, label: 'All' },
  { value: 'movie', label: 'Movies' },
  { value: 'show', label: 'Shows' },
  { value: 'game', label: 'Games' },
];

function readFilters(params: { type?: string; page?: string }) {
  const type = TYPES.find((t) => t.value && t.value === params.type)?.value;
  const page = Math.max(1, Math.min(1000, Number.parseInt(params.page ?? '1', 10) || 1));
  return { type, page, key: `${type ?? ''}|${page}` };
}

export default function RecommendationsPage() {
  const [params, setParams] = useSearchParams<{ type?: string; page?: string }>();
  const filters = createMemo(() => readFilters(params), undefined, { equals: (a, b) => a.key === b.key });
  const recs = createApiQuery(() => {
    const f = filters();
    return { queryKey: recommendationKeys.page(f), queryFn: () => fetchRecommendations(f) };
  });
  type RecPage = Awaited<ReturnType<typeof fetchRecommendations>>;
  const edit = (update: (page: RecPage | undefined) => RecPage | undefined) => setQueryData(recommendationKeys.page(filters()), update);

  /** Removes the card at once; puts it back where it was (and says why) if the API refuses. */
  const dismiss = (rec: Recommendation) =>
    optimistic({
      apply: () => {
        const id = rec.media.id;
        const index = recs.data?.items.findIndex((r) => r.media.id === id) ?? -1;
        const removed = index < 0 ? undefined : unwrap(recs.data!.items[index]);
        edit((page) => page && { ...page, items: page.items.filter((r) => r.media.id !== id), total: page.total - 1 });
        return { index, removed };
      },
      commit: () => dismissRecommendation(rec.media.id),
      rollback: ({ index, removed }) =>
        edit((page) => {
          if (!page || index < 0 || !removed) return page;
          const items = [...page.items];
          items.splice(Math.min(index, items.length), 0, removed);
          return { ...page, items, total: page.total + 1 };
        }),
      failure: `Couldn't dismiss “${rec.media.title}”`,
    });

  const note = () => {
    const page = recs.data;
    if (!page?.computedAt) return undefined;
    return `${page.coldStart ? 'Popular picks and your favourite genres, until you watch a few titles' : 'Drawn from what you watch and rate'} · updated ${formatRelative(page.computedAt)}`;
  };

  return (
    <Page title="Recommendations" description="Picks drawn from what you watch and rate, each with the reason it was chosen.">
      <div class="flex flex-wrap items-center justify-between gap-4">
        <div role="group" aria-label="Media type" class="no-scrollbar flex gap-2 overflow-x-auto">
          <For each={TYPES}>
            {(type) => (
              <button
                type="button"
                class={chipStyles(filters().type === type.value)}
                aria-pressed={filters().type === type.value}
                onClick={() => setParams({ type: type.value, page: undefined })}
              >
                {type.label}
              </button>
            )}
          </For>
        </div>
        <Show when={note()}>
          <p class="text-sm text-ink-subtle">{note()}</p>
        </Show>
      </div>
      <QueryView
        query={recs}
        loading={<GridSkeleton count={8} label="Loading recommendations…" />}
        errorTitle="Couldn't load recommendations"
        isEmpty={(page) => page.items.length === 0}
        empty={
          <EmptyState
            icon={Sparkles}
            title={filters().type ? 'No picks of this kind yet' : 'No picks yet'}
            body="Watch or rate a few titles: your picks change as soon as you do, each with the reason it was chosen."
            action={<A href="/app/discover" class={buttonStyles.secondary}>Start discovering</A>}
          />
        }
      >
        {(page) => (
          <>
            <div class="grid gap-4 sm:grid-cols-3 sm:gap-5 md:grid-cols-4 xl:grid-cols-5 2xl:grid-cols-6">
              <For each={page().items}>{(rec) => <RecCard rec={rec} onDismiss={() => void dismiss(rec)} />}</For>
            </div>
            <Pagination page={page().page} pageSize={page().pageSize} total={page().total} onPage={(next) => setParams({ page: String(next) })} />
          </>
        )}
      </QueryView>
    </Page>
  );
}
