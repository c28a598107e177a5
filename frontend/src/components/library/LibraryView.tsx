import { Tabs } from '@ark-ui/solid/tabs';
import CircleCheck from 'lucide-solid/icons/circle-check';
import LibraryIcon from 'lucide-solid/icons/library';
import SearchX from 'lucide-solid/icons/search-x';
import { For, Show, type JSX } from 'solid-js';
import type { ApiQuery } from '../../api/queryClient';
import { buttonStyles } from '../ui/button';
import { EmptyState } from '../ui/EmptyState';
import { Page } from '../ui/Page';
import { Pagination } from '../ui/Pagination';
import { QueryView } from '../ui/QueryView';
import { GridSkeleton, ListSkeleton } from '../ui/Skeleton';
import type { LibraryFilters, LibraryTab } from './filters';
import type { LibraryItemLike, LibraryTitleCard, UnmatchedCard } from './labels';
import { LibraryFilterBar, type LibraryFilterPatch } from './LibraryFilterBar';
import { LibraryItemCard } from './LibraryItemCard';
import type { MatchTarget } from './MatchDialog';
import { RescanControl } from './RescanControl';
import { UnmatchedQueue } from './UnmatchedQueue';

const tabClass =
  'relative h-10 rounded-full px-4 text-sm text-ink-muted transition-colors hover:text-ink data-[selected]:bg-raised data-[selected]:text-ink focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-accent';
const gridClass = 'grid grid-cols-2 gap-x-4 gap-y-8 sm:grid-cols-3 sm:gap-x-5 md:grid-cols-4 lg:grid-cols-5 xl:grid-cols-6';

interface PageOf<T> {
  items: T[];
  page: number;
  pageSize: number;
  total: number;
}

export interface LibraryViewProps {
  tab: LibraryTab;
  filters: LibraryFilters;
  /** The titles grid and the review queue, as loaded (or loading, or failed). */
  list: ApiQuery<PageOf<LibraryTitleCard>>;
  queue: ApiQuery<PageOf<UnmatchedCard>>;
  canEdit: boolean;
  /** The review queue of unmatched files is the grown-ups' (a kid profile has the titles only). */
  reviews?: boolean;
  onTab: (tab: LibraryTab) => void;
  onFilter: (patch: LibraryFilterPatch) => void;
  onPage: (page: number) => void;
  onQueuePage: (page: number) => void;
  onMatch: (item: MatchTarget['item']) => void;
  onIgnore: (item: LibraryItemLike) => void;
  onRescanned: () => void;
  /** The match dialog, rendered by the page that owns its state. */
  children?: JSX.Element;
}

/** The library's two views (titles, files to review) and their states; the page loads and edits the data. */
export function LibraryView(props: LibraryViewProps) {
  return (
    <Page
      title="Library"
      description="The video files on your server, matched to titles and ready to play in the browser."
      actions={<Show when={props.canEdit}><RescanControl onFinished={props.onRescanned} /></Show>}
    >
      <Tabs.Root value={props.tab} onValueChange={(d) => props.onTab(d.value === 'unmatched' ? 'unmatched' : 'all')} lazyMount unmountOnExit>
        <Tabs.List aria-label="Library views" class="mb-8 inline-flex gap-1 rounded-full border border-line bg-surface p-1">
          <Tabs.Trigger value="all" class={tabClass}>All</Tabs.Trigger>
          <Show when={props.reviews ?? true}>
            <Tabs.Trigger value="unmatched" class={tabClass} aria-label={props.queue.data?.total ? `Unmatched ${props.queue.data.total}` : 'Unmatched'}>
              Unmatched
              <Show when={props.queue.data?.total}>{(count) => <span class="ml-2 rounded-full bg-accent-soft px-2 py-0.5 text-xs tabular-nums text-accent-ink">{count()}</span>}</Show>
            </Tabs.Trigger>
          </Show>
        </Tabs.List>
        <Tabs.Content value="all">
          <LibraryFilterBar filters={props.filters} onChange={props.onFilter} />
          <QueryView
            query={props.list}
            loading={<GridSkeleton label="Loading the library…" />}
            isEmpty={(page) => page.items.length === 0}
            empty={<LibraryEmpty filtered={Boolean(props.filters.mediaType || props.filters.matchState || props.filters.query)} />}
            errorTitle="Couldn't load the library"
          >
            {(page) => (
              <>
                <p class="mb-6 text-sm text-ink-subtle">{page().total.toLocaleString()} {page().total === 1 ? 'title' : 'titles'}</p>
                <ul aria-label="Library titles" class={gridClass}>
                  <For each={page().items}>
                    {(item) => <li><LibraryItemCard item={item} canEdit={props.canEdit} onMatch={props.onMatch} /></li>}
                  </For>
                </ul>
                <Pagination page={page().page} pageSize={page().pageSize} total={page().total} onPage={props.onPage} />
              </>
            )}
          </QueryView>
        </Tabs.Content>
        <Tabs.Content value="unmatched">
          <QueryView
            query={props.queue}
            loading={<ListSkeleton label="Loading unmatched files…" />}
            isEmpty={(page) => page.items.length === 0}
            empty={<EmptyState icon={CircleCheck} title="Nothing to review" body="Every file in the library is matched to a title or ignored." />}
            errorTitle="Couldn't load the review queue"
          >
            {(page) => (
              <>
                <UnmatchedQueue items={page().items} canEdit={props.canEdit} onMatch={props.onMatch} onIgnore={props.onIgnore} />
                <Pagination page={page().page} pageSize={page().pageSize} total={page().total} onPage={props.onQueuePage} />
              </>
            )}
          </QueryView>
        </Tabs.Content>
      </Tabs.Root>
      {props.children}
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
