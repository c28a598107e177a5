import { createSignal, onCleanup, onMount, type Accessor } from 'solid-js';
import { toApiError, type ApiError } from '../api/client';
import { fetchNotifications, markNotificationsRead } from '../api/notifications';
import type { components } from '../api/schema';
import { optimistic } from '../lib/optimistic';

/**
 * Your in-app notifications (`GET /api/v1/notifications`: unread first, with
 * the unread count), shared by the bell in the top bar. Polled every minute
 * and when the tab comes back into view; marking read is optimistic.
 */

export type Notification = components['schemas']['Notification'];
export type NotificationKind = Notification['kind'];
type NotificationList = components['schemas']['NotificationList'];

export const NOTIFICATIONS_POLL_MS = 60_000;

export interface NotificationsStore {
  items: Accessor<Notification[]>;
  unread: Accessor<number>;
  error: Accessor<ApiError | undefined>;
  /** True until the first answer (or error) arrives. */
  loading: Accessor<boolean>;
  refresh(): Promise<void>;
  markRead(ids: number[]): Promise<void>;
  markAllRead(): Promise<void>;
  /** Polls while at least one subscriber is mounted; returns unsubscribe. */
  subscribe(): () => void;
}

export function createNotificationsStore(pollMs = NOTIFICATIONS_POLL_MS): NotificationsStore {
  const [list, setList] = createSignal<NotificationList>();
  const [error, setError] = createSignal<ApiError>();
  let inFlight: Promise<void> | undefined;
  let subscribers = 0;
  let timer: ReturnType<typeof setInterval> | undefined;
  let lastFetch = 0;

  const refresh = () => {
    inFlight ??= (async () => {
      try {
        setList(await fetchNotifications());
        setError(undefined);
      } catch (err) {
        setError(toApiError(err)); // the last good list stays on screen
      } finally {
        lastFetch = Date.now();
        inFlight = undefined;
      }
    })();
    return inFlight;
  };

  /** Marks these read locally; returns what to put back. */
  const applyRead = (isTarget: (n: Notification) => boolean) => {
    const before = list();
    if (!before) return before;
    const now = new Date().toISOString();
    let changed = 0;
    const items = before.items.map((n) => {
      if (n.readAt || !isTarget(n)) return n;
      changed += 1;
      return { ...n, readAt: now };
    });
    setList({ items, unread: Math.max(0, before.unread - changed) });
    return before;
  };

  const send = (body: { ids: number[] } | { all: true }, isTarget: (n: Notification) => boolean, failure: string) =>
    optimistic({
      apply: () => applyRead(isTarget),
      commit: async () => {
        const { unread } = await markNotificationsRead(body);
        setList((current) => current && { ...current, unread });
      },
      rollback: (snapshot) => snapshot && setList(snapshot),
      failure,
    }).then(() => undefined);

  // A poll on focus is skipped when the last answer is this fresh (switching tabs back and forth stays cheap).
  const onFocus = () => {
    if (document.visibilityState !== 'hidden' && Date.now() - lastFetch > 5_000) void refresh();
  };
  const poll = () => {
    if (document.visibilityState !== 'hidden') void refresh();
  };

  return {
    items: () => list()?.items ?? [],
    unread: () => list()?.unread ?? 0,
    error,
    loading: () => list() === undefined && error() === undefined,
    refresh,
    markRead: (ids) => {
      const wanted = new Set(ids);
      return send({ ids }, (n) => wanted.has(n.id), "Couldn't mark the notification read");
    },
    markAllRead: () => send({ all: true }, () => true, "Couldn't mark your notifications read"),
    subscribe() {
      subscribers += 1;
      if (subscribers === 1) {
        void refresh();
        timer = setInterval(poll, pollMs);
        window.addEventListener('focus', onFocus);
        document.addEventListener('visibilitychange', onFocus);
      }
      let active = true;
      return () => {
        if (!active) return;
        active = false;
        subscribers -= 1;
        if (subscribers === 0) {
          clearInterval(timer);
          window.removeEventListener('focus', onFocus);
          document.removeEventListener('visibilitychange', onFocus);
        }
      };
    },
  };
}

let appNotifications: NotificationsStore | undefined;

export function appNotificationsStore(): NotificationsStore {
  appNotifications ??= createNotificationsStore();
  return appNotifications;
}

/** Tests (and sign-out) start from nothing. */
export function resetNotifications() {
  appNotifications = undefined;
}

/** Use inside a component: keeps the store polling while mounted. */
export function useNotifications(store: NotificationsStore = appNotificationsStore()): NotificationsStore {
  onMount(() => onCleanup(store.subscribe()));
  return store;
}
