import { createSignal, type Accessor } from 'solid-js';
import {
  addToFavorites,
  addToWatchLater,
  fetchFavorites,
  fetchWatchLater,
  removeFromFavorites,
  removeFromWatchLater,
} from '../api/memberships';
import { optimistic } from '../lib/optimistic';
import { showToast } from './toasts';

/**
 * "Is this title in my watch later / favorites?" for every poster and detail
 * page, from one load of the whole list per session, kept current by the
 * optimistic toggles below (rolled back, with a toast, when the API refuses).
 */
export interface MembershipStore {
  has(mediaId: number): boolean;
  ready: Accessor<boolean>;
  /** Loads the list once (again after `reset`). */
  ensureLoaded(): Promise<void>;
  /** Adds or removes; resolves once the server answered (state already rolled back on failure). */
  toggle(mediaId: number, title: string): Promise<boolean>;
  /** Adds (`present`) or removes, whatever the local state says. */
  set(mediaId: number, title: string, present: boolean): Promise<boolean>;
  reset(): void;
}

export interface MembershipApi {
  listIds: () => Promise<number[]>;
  add: (mediaId: number) => Promise<unknown>;
  remove: (mediaId: number) => Promise<unknown>;
  /** "watch later", "favorites" */
  noun: string;
}

export function createMembershipStore(backend: MembershipApi): MembershipStore {
  const [ids, setIds] = createSignal<ReadonlySet<number>>(new Set());
  const [ready, setReady] = createSignal(false);
  let loading: Promise<void> | undefined;

  const withId = (id: number, present: boolean) =>
    setIds((current) => {
      const next = new Set(current);
      if (present) next.add(id);
      else next.delete(id);
      return next;
    });

  const set = async (mediaId: number, title: string, adding: boolean) => {
    const error = await optimistic({
      apply: () => withId(mediaId, adding),
      commit: () => (adding ? backend.add(mediaId) : backend.remove(mediaId)),
      rollback: () => withId(mediaId, !adding),
      failure: adding ? `Couldn't add “${title}” to ${backend.noun}` : `Couldn't remove “${title}” from ${backend.noun}`,
    });
    if (!error) {
      showToast({ tone: 'success', title: adding ? `Added to ${backend.noun}` : `Removed from ${backend.noun}`, body: title });
    }
    return !error;
  };

  return {
    has: (mediaId) => ids().has(mediaId),
    ready,
    ensureLoaded() {
      if (ready()) return Promise.resolve();
      loading ??= backend
        .listIds()
        .then((list) => {
          setIds(new Set(list));
          setReady(true);
        })
        .finally(() => {
          loading = undefined;
        });
      return loading;
    },
    toggle: (mediaId, title) => set(mediaId, title, !ids().has(mediaId)),
    set,
    reset() {
      setIds(new Set<number>());
      setReady(false);
    },
  };
}

export const watchLater = createMembershipStore({
  noun: 'watch later',
  listIds: async () => (await fetchWatchLater()).map((item) => item.media.id),
  add: addToWatchLater,
  remove: removeFromWatchLater,
});

export const favorites = createMembershipStore({
  noun: 'favorites',
  listIds: async () => (await fetchFavorites()).map((item) => item.media.id),
  add: addToFavorites,
  remove: removeFromFavorites,
});

export function resetMemberships() {
  watchLater.reset();
  favorites.reset();
}
