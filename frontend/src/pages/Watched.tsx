import { A, useSearchParams } from '@solidjs/router';
import Eye from 'lucide-solid/icons/eye';
import X from 'lucide-solid/icons/x';
import { createMemo, For } from 'solid-js';
import { unwrap } from 'solid-js/store';
import { createApiQuery, setQueryData } from '../api/queryClient';
import type { HistoryEntry, MediaType } from '../api/types';
import { fetchHistory, removeHistoryEntry, watchedKeys } from '../api/watched';
import { TitleLine } from '../components/media/TitleLine';
import { buttonStyles } from '../components/ui/button';
import { EmptyState } from '../components/ui/EmptyState';
import { chipStyles, fieldStyles } from '../components/ui/form';
import { Page } from '../components/ui/Page';
import { Pagination } from '../components/ui/Pagination';
import { QueryView } from '../components/ui/QueryView';
import { ListSkeleton } from '../components/ui/Skeleton';
import { optimistic } from '../lib/optimistic';

const TYPES: { value: MediaType | undefined; label: string }[] = [
  { value: undefined, label: 'Everything' },
  { value: 'movie', label: 'Movies' },
  { value: 'show', label: 'Episodes' },
];

const dayFormat = new Intl.DateTimeFormat(undefined, { weekday: 'long', month: 'long', day: 'numeric', year: 'numeric' });
const timeFormat = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' });

/** History entries grouped by the local day they were watched. */
export function groupByDay(entries: HistoryEntry[]): { day: string; entries: HistoryEntry[] }[] {
  const groups: { day: string; entries: HistoryEntry[] }[] = [];
  for (const entry of entries) {
    const day = dayFormat.format(new Date(entry.watchedAt));
    const last = groups[groups.length - 1];
    if (last?.day === day) last.entries.push(entry);
    else groups.push({ day, entries: [entry] });
  }
  return groups;
}

const isDate = (value: string | undefined) => (value && /^\d{4}-\d{2}-\d{2}$/.test(value) ? value : undefined);

export default function WatchedPage() {
  const [params, setParams] = useSearchParams<{ type?: string; from?: string; to?: string; page?: string }>();
  const filters = createMemo(
    () => ({
      type: (['movie', 'show', 'game'] as const).find((t) => t === params.type),
      from: isDate(params.from),
      to: isDate(params.to),
      page: Math.max(1, Number.parseInt(params.page ?? '1', 10) || 1),
    }),
    undefined,
    { equals: (a, b) => JSON.stringify(a) === JSON.stringify(b) },
  );
  const history = createApiQuery(() => {
    const f = filters();
    return { queryKey: watchedKeys.history(f), queryFn: () => fetchHistory(f) };
  });
  type HistoryPage = Awaited<ReturnType<typeof fetchHistory>>;
  const show = (page: HistoryPage) => setQueryData(watchedKeys.history(filters()), () => page);

  const removeEntry = (entry: HistoryEntry) => {
    const before = history.data === undefined ? undefined : unwrap(history.data);
    if (!before) return;
    void optimistic({
      apply: () => show({ ...before, items: before.items.filter((e) => e.id !== entry.id), total: before.total - 1 }),
      commit: () => removeHistoryEntry(entry.id),
      rollback: () => show(before),
      failure: `Couldn't remove this watch of “${entry.media.title}”`,
    });
  };

  const setFilter = (patch: Record<string, string | undefined>) => setParams({ ...patch, page: undefined });

  return (
    <Page title="Watched" description="Everything you've watched, newest first — movies and episodes, rewatches included.">
      <div class="flex flex-wrap items-end gap-3">
        <div role="group" aria-label="Kind" class="mr-auto flex flex-wrap gap-2">
          <For each={TYPES}>
            {(type) => (
              <button type="button" class={chipStyles(filters().type === type.value)} aria-pressed={filters().type === type.value} onClick={() => setFilter({ type: type.value })}>
                {type.label}
              </button>
            )}
          </For>
        </div>
        <div class="flex items-end gap-2">
          <div>
            <label for="from" class="mb-1 block text-xs text-ink-subtle">From</label>
            <input id="from" type="date" class={`${fieldStyles.input} h-10 w-40`} value={filters().from ?? ''} onChange={(e) => setFilter({ from: e.currentTarget.value || undefined })} />
          </div>
          <div>
            <label for="to" class="mb-1 block text-xs text-ink-subtle">To</label>
            <input id="to" type="date" class={`${fieldStyles.input} h-10 w-40`} value={filters().to ?? ''} onChange={(e) => setFilter({ to: e.currentTarget.value || undefined })} />
          </div>
        </div>
      </div>
      <QueryView
        query={history}
        loading={<ListSkeleton rows={8} label="Loading your history…" />}
        isEmpty={(page) => page.items.length === 0}
        empty={
          <EmptyState
            icon={Eye}
            title={filters().type || filters().from || filters().to ? 'Nothing watched in this range' : 'No history yet'}
            body="Mark a movie or an episode watched — or just play it — and it is logged here."
            action={<A href="/app/discover" class={buttonStyles.secondary}>Explore Discover</A>}
          />
        }
      >
        {(page) => (
          <>
            <div class="flex flex-col gap-10">
              <For each={groupByDay(page().items)}>
                {(group) => (
                  <section>
                    <h2 class="mb-3 text-sm font-medium text-ink-muted">{group.day}</h2>
                    <ul class="flex flex-col gap-2">
                      <For each={group.entries}>
                        {(entry) => (
                          <li class="rounded-2xl border border-line bg-surface p-2.5 pr-3 transition-colors hover:border-line-strong">
                            <TitleLine
                              title={entry.media}
                              detail={
                                <>
                                  {entry.episode ? `S${entry.episode.seasonNumber} · E${entry.episode.episodeNumber}${entry.episode.name ? ` ${entry.episode.name}` : ''} · ` : ''}
                                  {timeFormat.format(new Date(entry.watchedAt))}
                                  {entry.source === 'player' ? ' · played here' : ''}
                                </>
                              }
                              trailing={
                                <button type="button" class={`${buttonStyles.icon} size-9`} aria-label={`Remove this watch of ${entry.media.title}`} onClick={() => removeEntry(entry)}>
                                  <X class="size-4" strokeWidth={1.75} />
                                </button>
                              }
                            />
                          </li>
                        )}
                      </For>
                    </ul>
                  </section>
                )}
              </For>
            </div>
            <Pagination page={page().page} pageSize={page().pageSize} total={page().total} onPage={(p) => setParams({ page: p > 1 ? String(p) : undefined })} />
          </>
        )}
      </QueryView>
    </Page>
  );
}
