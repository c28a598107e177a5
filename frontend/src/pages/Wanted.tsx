import { useSearchParams } from '@solidjs/router';
import ListTodo from 'lucide-solid/icons/list-todo';
import SearchX from 'lucide-solid/icons/search-x';
import { createEffect, createMemo, createSignal, For, Show } from 'solid-js';
import { createStore, reconcile, unwrap } from 'solid-js/store';
import { createApiQuery, setQueryData } from '../api/queryClient';
import type { WantedGroup, WantedItem } from '../api/types';
import { fetchWanted, removeWanted, setAutoGet, wantedKeys } from '../api/wanted';
import { EmptyState } from '../components/ui/EmptyState';
import { fieldStyles } from '../components/ui/form';
import { Page } from '../components/ui/Page';
import { Pagination } from '../components/ui/Pagination';
import { QueryView } from '../components/ui/QueryView';
import { ListSkeleton } from '../components/ui/Skeleton';
import { pageWithAutoGet, pageWithout } from '../components/wanted/rollups';
import { WantedGroupCard } from '../components/wanted/WantedGroupCard';
import { optimistic } from '../lib/optimistic';

export default function WantedPage() {
  const [params, setParams] = useSearchParams<{ q?: string; page?: string }>();
  const filters = createMemo(
    () => ({ q: params.q ?? '', page: Math.max(1, Number.parseInt(params.page ?? '1', 10) || 1) }),
    undefined,
    { equals: (a, b) => a.q === b.q && a.page === b.page },
  );
  const list = createApiQuery(() => {
    const f = filters();
    return { queryKey: wantedKeys.page(f), queryFn: () => fetchWanted(f) };
  });
  type WantedPage = Awaited<ReturnType<typeof fetchWanted>>;
  const shown = (): WantedPage | undefined => (list.data === undefined ? undefined : unwrap(list.data));
  const show = (page: WantedPage) => setQueryData<WantedPage>(wantedKeys.page(filters()), () => page);
  const [search, setSearch] = createSignal(params.q ?? '');
  // Groups keep their DOM (and the focus of a switch or button) across edits and reloads: matched by title id.
  // The store gets a copy: reconcile writes into the objects it holds, and a rollback needs the originals intact.
  const [groups, setGroups] = createStore<WantedGroup[]>([]);
  createEffect(() => setGroups(reconcile(structuredClone(shown()?.items ?? []), { key: 'mediaId' })));

  const remove = (item: WantedItem, label: string) => {
    const before = shown();
    if (!before) return;
    void optimistic({
      apply: () => show(pageWithout(before, item.id)),
      commit: () => removeWanted(item.id),
      rollback: () => show(before),
      failure: `Couldn't remove “${label}” from wanted`,
    });
  };
  const autoGet = (group: WantedGroup, on: boolean) => {
    const before = shown();
    if (!before) return;
    void optimistic({
      apply: () => show(pageWithAutoGet(before, group.mediaId, on)),
      commit: () => setAutoGet(group.mediaId, on),
      rollback: () => show(before),
      failure: on ? `Couldn't turn on automatic downloads for “${group.title}”` : `Couldn't turn off automatic downloads for “${group.title}”`,
    });
  };

  return (
    <Page
      title="Wanted"
      description="Movies and episodes you want in the library. An item is done once its file is there."
      actions={
        <form role="search" onSubmit={(e) => { e.preventDefault(); setParams({ q: search().trim() || undefined, page: undefined }); }}>
          <label for="wanted-search" class="sr-only">Search wanted</label>
          <input id="wanted-search" type="search" class={`${fieldStyles.input} h-10 w-64 rounded-full`} placeholder="Search titles…" value={search()} onInput={(e) => setSearch(e.currentTarget.value)} />
        </form>
      }
    >
      <QueryView
        query={list}
        loading={<ListSkeleton rows={4} label="Loading the wanted list…" />}
        isEmpty={(page) => page.items.length === 0}
        empty={
          <Show when={filters().q} fallback={<EmptyState icon={ListTodo} title="Nothing wanted yet" body="Use “Add to wanted” on a movie, a show, a season or an episode; it is done when its file reaches the library." />}>
            <EmptyState icon={SearchX} title={`Nothing wanted matches “${filters().q}”`} body="Try a shorter part of the title." />
          </Show>
        }
        errorTitle="Couldn't load the wanted list"
      >
        {(page) => (
          <>
            <ul aria-label="Wanted" class="flex flex-col gap-4">
              <For each={page().items.length ? groups : []}>{(group) => <WantedGroupCard group={group} onRemove={remove} onAutoGet={autoGet} />}</For>
            </ul>
            <Pagination page={page().page} pageSize={page().pageSize} total={page().total} onPage={(n) => setParams({ page: n > 1 ? String(n) : undefined })} />
          </>
        )}
      </QueryView>
    </Page>
  );
}
