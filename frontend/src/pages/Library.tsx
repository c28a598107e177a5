import { Tabs } from '@ark-ui/solid/tabs';
import { useSearchParams } from '@solidjs/router';
import CircleCheck from 'lucide-solid/icons/circle-check';
import LibraryIcon from 'lucide-solid/icons/library';
import SearchX from 'lucide-solid/icons/search-x';
import { createMemo, createSignal, For, Show } from 'solid-js';
import { fetchLibrary, fetchUnmatched, type MatchChoice } from '../components/library/api';
import { createLibraryActions } from '../components/library/actions';
import { parseLibraryFilters, pageOf, tabOf, type LibraryParams } from '../components/library/filters';
import type { LibraryItemLike } from '../components/library/labels';
import { LibraryFilterBar, type LibraryFilterPatch } from '../components/library/LibraryFilterBar';
import { LibraryItemCard } from '../components/library/LibraryItemCard';
import { MatchDialog, type MatchTarget } from '../components/library/MatchDialog';
import { RescanControl } from '../components/library/RescanControl';
import { UnmatchedQueue } from '../components/library/UnmatchedQueue';
import { buttonStyles } from '../components/ui/button';
import { EmptyState } from '../components/ui/EmptyState';
import { Page } from '../components/ui/Page';
import { Pagination } from '../components/ui/Pagination';
import { QueryView } from '../components/ui/QueryView';
import { GridSkeleton, ListSkeleton } from '../components/ui/Skeleton';
import { createQuery } from '../lib/query';
import { useSession } from '../stores/session';

const tabClass =
  'relative h-10 rounded-full px-4 text-sm text-ink-muted transition-colors hover:text-ink data-[selected]:bg-raised data-[selected]:text-ink focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-accent';
const gridClass = 'grid grid-cols-2 gap-x-4 gap-y-8 sm:grid-cols-3 sm:gap-x-5 md:grid-cols-4 lg:grid-cols-5 xl:grid-cols-6';

export default function LibraryPage() {
  const session = useSession();
  const canEdit = () => session.user()?.role === 'admin';
  const [params, setParams] = useSearchParams<LibraryParams>();
  const filters = createMemo(() => parseLibraryFilters(params), undefined, { equals: (a, b) => JSON.stringify(a) === JSON.stringify(b) });
  const list = createQuery(filters, fetchLibrary);
  const queue = createQuery(() => pageOf(params.qpage), fetchUnmatched);
  const actions = createLibraryActions({ list, queue });
  const [target, setTarget] = createSignal<MatchTarget>();

  const change = (patch: LibraryFilterPatch) => setParams({ ...patch, page: undefined });
  const goTo = (key: 'page' | 'qpage') => (page: number) => {
    setParams({ [key]: page > 1 ? String(page) : undefined });
    window.scrollTo({ top: 0, behavior: 'smooth' });
  };
  const choose = async (current: MatchTarget, choice: MatchChoice, force: boolean) => {
    setTarget(undefined);
    const error = await actions.match(current.item, choice, force);
    // The server would link it only with force: reopen with the reason and a way to insist.
    if (error?.code === 'match_contradicts_parse') setTarget({ item: current.item, conflict: { choice, message: error.message } });
  };
  const openMatch = (item: MatchTarget['item']) => setTarget({ item });
  const ignore = (item: LibraryItemLike) => void actions.ignore(item);
  const reload = () => {
    void list.refetch();
    void queue.refetch();
  };

  return (
    <Page
      title="Library"
      description="The video files on your server, matched to titles and ready to play in the browser."
      actions={<Show when={canEdit()}><RescanControl onFinished={reload} /></Show>}
    >
      <Tabs.Root value={tabOf(params)} onValueChange={(d) => setParams({ tab: d.value === 'unmatched' ? 'unmatched' : undefined })} lazyMount unmountOnExit>
        <Tabs.List aria-label="Library views" class="mb-8 inline-flex gap-1 rounded-full border border-line bg-surface p-1">
          <Tabs.Trigger value="all" class={tabClass}>All</Tabs.Trigger>
          <Tabs.Trigger value="unmatched" class={tabClass} aria-label={queue.data()?.total ? `Unmatched ${queue.data()!.total}` : 'Unmatched'}>
            Unmatched
            <Show when={queue.data()?.total}>{(count) => <span class="ml-2 rounded-full bg-accent-soft px-2 py-0.5 text-xs tabular-nums text-accent-ink">{count()}</span>}</Show>
          </Tabs.Trigger>
        </Tabs.List>
        <Tabs.Content value="all">
          <LibraryFilterBar filters={filters()} onChange={change} />
          <QueryView
            query={list}
            loading={<GridSkeleton label="Loading the library…" />}
            isEmpty={(page) => page.items.length === 0}
            empty={<LibraryEmpty filtered={Boolean(filters().mediaType || filters().matchState || filters().query)} />}
            errorTitle="Couldn't load the library"
          >
            {(page) => (
              <>
                <p class="mb-6 text-sm text-ink-subtle">{page().total.toLocaleString()} {page().total === 1 ? 'file' : 'files'}</p>
                <ul aria-label="Library files" class={gridClass}>
                  <For each={page().items}>
                    {(item) => <li><LibraryItemCard item={item} canEdit={canEdit()} onMatch={openMatch} /></li>}
                  </For>
                </ul>
                <Pagination page={page().page} pageSize={page().pageSize} total={page().total} onPage={goTo('page')} />
              </>
            )}
          </QueryView>
        </Tabs.Content>
        <Tabs.Content value="unmatched">
          <QueryView
            query={queue}
            loading={<ListSkeleton label="Loading unmatched files…" />}
            isEmpty={(page) => page.items.length === 0}
            empty={<EmptyState icon={CircleCheck} title="Nothing to review" body="Every file in the library is matched to a title or ignored." />}
            errorTitle="Couldn't load the review queue"
          >
            {(page) => (
              <>
                <UnmatchedQueue items={page().items} canEdit={canEdit()} onMatch={openMatch} onIgnore={ignore} />
                <Pagination page={page().page} pageSize={page().pageSize} total={page().total} onPage={goTo('qpage')} />
              </>
            )}
          </QueryView>
        </Tabs.Content>
      </Tabs.Root>
      <MatchDialog target={target()} onClose={() => setTarget(undefined)} onChoose={(t, c, f) => void choose(t, c, f)} />
    </Page>
  );
}

function LibraryEmpty(props: { filtered: boolean }) {
  return (
    <Show
      when={props.filtered}
      fallback={
        <EmptyState
          icon={LibraryIcon}
          title="Your library is empty"
          body="Finished downloads and scanned folders show up here, matched to their movies and episodes."
          action={<a href="/app/downloads" class={buttonStyles.secondary}>Go to downloads</a>}
        />
      }
    >
      <EmptyState icon={SearchX} title="No files match these filters" body="Try another type or match state, or a shorter search." />
    </Show>
  );
}
