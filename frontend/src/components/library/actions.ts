/**
 * Match and ignore, applied optimistically to both views of the library (the
 * grid and the unmatched queue): the item moves at once; if the server says
 * no, both views go back as they were and a toast says why.
 */
import type { QueryKey } from '@tanstack/solid-query';
import { unwrap } from 'solid-js/store';
import type { ApiError } from '../../api/client';
import { postIgnore, postMatch, type MatchChoice } from '../../api/library';
import { setQueryData, type ApiQuery } from '../../api/queryClient';
import { optimistic } from '../../lib/optimistic';
import { showToast } from '../../stores/toasts';
import { itemTitle, type LibraryCard, type LibraryItemDetail, type LibraryItemLike, type LibraryTitleCard, type UnmatchedCard } from './labels';

interface PageOf<T> {
  items: T[];
  page: number;
  pageSize: number;
  total: number;
}

/** A query on screen and the key of what it shows, where optimistic edits go. */
export interface CachedView<T> {
  query: ApiQuery<T>;
  key: () => QueryKey;
}

export interface LibraryViews {
  list: CachedView<PageOf<LibraryTitleCard>>;
  queue: CachedView<PageOf<UnmatchedCard>>;
}

export interface LibraryActions {
  match(item: LibraryItemLike, choice: MatchChoice, force?: boolean): Promise<ApiError | undefined>;
  ignore(item: LibraryItemLike): Promise<ApiError | undefined>;
}

type Snapshot = [PageOf<LibraryTitleCard> | undefined, PageOf<UnmatchedCard> | undefined];

const edit = <T>(view: CachedView<T>, update: (current: T | undefined) => T | undefined) => setQueryData(view.key(), update);
/** What a view shows now, as plain data (not the query's store proxy), to restore on failure. */
const shown = <T>(view: CachedView<T>): T | undefined => (view.query.data === undefined ? undefined : unwrap(view.query.data));

function patchList(views: LibraryViews, id: string, patch: (card: LibraryTitleCard) => LibraryTitleCard) {
  edit(views.list, (page) => page && { ...page, items: page.items.map((card) => (card.id === id ? patch(card) : card)) });
}

function dropFromQueue(views: LibraryViews, id: string) {
  edit(views.queue, (page) => {
    if (!page || !page.items.some((card) => card.id === id)) return page;
    return { ...page, items: page.items.filter((card) => card.id !== id), total: Math.max(0, page.total - 1) };
  });
}

/** The card fields a server answer (LibraryItemDetail) brings up to date. */
function fromDetail<C extends LibraryCard>(card: C, detail: LibraryItemDetail): C {
  const { title, year, episode, media, matchState, matchConfidence, posterUrl, backdropUrl, mediaType } = detail;
  return { ...card, title, year, episode, media, matchState, matchConfidence, posterUrl, backdropUrl, mediaType };
}

export function createLibraryActions(views: LibraryViews): LibraryActions {
  const snapshot = (): Snapshot => [shown(views.list), shown(views.queue)];
  const restore = ([list, queue]: Snapshot) => {
    edit(views.list, () => list);
    edit(views.queue, () => queue);
  };

  const moveTo = (item: LibraryItemLike, state: LibraryCard['matchState']) => {
    const before = snapshot();
    patchList(views, item.id, (card) => ({ ...card, matchState: state }));
    dropFromQueue(views, item.id);
    return before;
  };

  return {
    match: (item, choice, force = false) =>
      optimistic({
        apply: () => moveTo(item, 'matched'),
        commit: async () => {
          const detail = await postMatch(item.id, choice, force);
          patchList(views, item.id, (card) => fromDetail(card, detail));
          const siblings = detail.refiledSiblings ?? 0;
          const more = siblings > 0 ? ` and ${siblings} more ${siblings === 1 ? 'file' : 'files'} in its folder` : '';
          showToast({ tone: 'success', title: 'Matched', body: `${item.title} → ${itemTitle(detail)}${more}` });
          // The file may now be a version of a title already on the grid, and siblings moved too:
          // the views are read again rather than guessed.
          void views.list.query.refetch();
          if (siblings > 0) void views.queue.query.refetch();
        },
        rollback: restore,
        failure: `Couldn't match “${item.title}”`,
      }),
    ignore: (item) =>
      optimistic({
        apply: () => moveTo(item, 'ignored'),
        commit: () => postIgnore(item.id),
        rollback: restore,
        failure: `Couldn't ignore “${item.title}”`,
      }),
  };
}
