/**
 * Match and ignore, applied optimistically to both views of the library (the
 * grid and the unmatched queue): the item moves at once; if the server says
 * no, both views go back as they were and a toast says why.
 */
import type { ApiError } from '../../api/client';
import type { Query } from '../../lib/query';
import { optimistic } from '../../lib/optimistic';
import { showToast } from '../../stores/toasts';
import { postIgnore, postMatch, type MatchChoice } from './api';
import { itemTitle, type LibraryCard, type LibraryItemDetail, type LibraryItemLike, type UnmatchedCard } from './labels';

interface PageOf<T> {
  items: T[];
  page: number;
  pageSize: number;
  total: number;
}

export interface LibraryViews {
  list: Query<PageOf<LibraryCard>>;
  queue: Query<PageOf<UnmatchedCard>>;
}

export interface LibraryActions {
  match(item: LibraryItemLike, choice: MatchChoice, force?: boolean): Promise<ApiError | undefined>;
  ignore(item: LibraryItemLike): Promise<ApiError | undefined>;
}

type Snapshot = [PageOf<LibraryCard> | undefined, PageOf<UnmatchedCard> | undefined];

function patchList(views: LibraryViews, id: string, patch: (card: LibraryCard) => LibraryCard) {
  views.list.mutate((page) => page && { ...page, items: page.items.map((card) => (card.id === id ? patch(card) : card)) });
}

function dropFromQueue(views: LibraryViews, id: string) {
  views.queue.mutate((page) => {
    if (!page || !page.items.some((card) => card.id === id)) return page;
    return { ...page, items: page.items.filter((card) => card.id !== id), total: Math.max(0, page.total - 1) };
  });
}

/** The card fields a server answer (LibraryItemDetail) brings up to date. */
function fromDetail(card: LibraryCard, detail: LibraryItemDetail): LibraryCard {
  const { title, year, episode, media, matchState, matchConfidence, posterUrl, backdropUrl, mediaType } = detail;
  return { ...card, title, year, episode, media, matchState, matchConfidence, posterUrl, backdropUrl, mediaType };
}

export function createLibraryActions(views: LibraryViews): LibraryActions {
  const snapshot = (): Snapshot => [views.list.data(), views.queue.data()];
  const restore = ([list, queue]: Snapshot) => {
    views.list.mutate(() => list);
    views.queue.mutate(() => queue);
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
          // The siblings moved too: both views are read again rather than guessed.
          if (siblings > 0) void Promise.all([views.list.refetch(), views.queue.refetch()]);
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
