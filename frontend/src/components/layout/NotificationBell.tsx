import { Popover } from '@ark-ui/solid/popover';
import { useNavigate } from '@solidjs/router';
import type { LucideIcon } from 'lucide-solid';
import Bell from 'lucide-solid/icons/bell';
import CircleCheck from 'lucide-solid/icons/circle-check';
import Gamepad2 from 'lucide-solid/icons/gamepad-2';
import TriangleAlert from 'lucide-solid/icons/triangle-alert';
import Tv from 'lucide-solid/icons/tv';
import { createSignal, For, Match, Show, Switch } from 'solid-js';
import { Portal } from 'solid-js/web';
import { formatRelative } from '../../lib/format';
import { useNotifications, type Notification, type NotificationKind, type NotificationsStore } from '../../stores/notifications';

const KINDS: Record<NotificationKind, { icon: LucideIcon; label: string; tone: string }> = {
  episode_aired: { icon: Tv, label: 'New episode', tone: 'text-accent-ink' },
  wanted_downloaded: { icon: CircleCheck, label: 'Downloaded', tone: 'text-ok' },
  download_failed: { icon: TriangleAlert, label: 'Download failed', tone: 'text-danger' },
  game_released: { icon: Gamepad2, label: 'Game released', tone: 'text-warn' },
};

/** "9+" past nine: the badge stays one small circle. */
export const badgeText = (unread: number) => (unread > 9 ? '9+' : String(unread));

/** Only in-app paths are followed (a link is data from the API, never an open redirect). */
const inApp = (link: string | null | undefined) => (link && link.startsWith('/app/') ? link : undefined);

/** The bell in the top bar: an unread badge, and a panel of your notifications (unread first). */
export function NotificationBell(props: { store?: NotificationsStore }) {
  const store = useNotifications(props.store);
  const navigate = useNavigate();
  const [open, setOpen] = createSignal(false);
  const label = () => (store.unread() ? `Notifications: ${store.unread()} unread` : 'Notifications');

  const openOne = (n: Notification) => {
    setOpen(false);
    if (!n.readAt) void store.markRead([n.id]);
    const link = inApp(n.link);
    if (link) navigate(link);
  };

  return (
    <Popover.Root open={open()} onOpenChange={(d) => setOpen(d.open)} positioning={{ placement: 'bottom-end', gutter: 8 }}>
      <Popover.Trigger
        aria-label={label()}
        class="relative grid size-9 shrink-0 place-items-center rounded-full text-ink-muted transition-colors hover:bg-hover hover:text-ink"
        onClick={() => !open() && void store.refresh()}
      >
        <Bell class="size-5" strokeWidth={1.75} />
        <Show when={store.unread() > 0}>
          <span
            data-testid="notification-badge"
            aria-hidden="true"
            class="absolute -right-0.5 -top-0.5 grid h-4.5 min-w-4.5 place-items-center rounded-full bg-accent px-1 text-[0.65rem] font-semibold leading-none text-on-accent ring-2 ring-canvas"
          >
            {badgeText(store.unread())}
          </span>
        </Show>
      </Popover.Trigger>
      <Portal>
        <Popover.Positioner>
          <Popover.Content class="z-50 flex max-h-[min(32rem,80dvh)] w-[min(24rem,calc(100vw-1.5rem))] flex-col rounded-2xl border border-line-strong bg-raised/95 shadow-float outline-none backdrop-blur-xl data-[state=open]:animate-pop">
            <div class="flex items-center justify-between gap-3 border-b border-line px-4 py-3">
              <Popover.Title class="text-sm font-medium text-ink">Notifications</Popover.Title>
              <button
                type="button"
                class="text-xs font-medium text-accent-ink transition-opacity hover:opacity-80 disabled:cursor-default disabled:opacity-40"
                disabled={store.unread() === 0}
                onClick={() => void store.markAllRead()}
              >
                Mark all read
              </button>
            </div>
            <div class="min-h-0 flex-1 overflow-y-auto p-1.5">
              <Switch>
                <Match when={store.loading()}>
                  <p role="status" class="px-3 py-6 text-center text-sm text-ink-subtle">Loading…</p>
                </Match>
                <Match when={store.error() && store.items().length === 0}>
                  <p role="alert" class="px-3 py-6 text-center text-sm text-ink-muted">Couldn't load notifications: {store.error()!.message}</p>
                </Match>
                <Match when={store.items().length === 0}>
                  <p class="px-3 py-8 text-center text-sm text-ink-subtle">Nothing yet. New episodes, finished downloads and releases show up here.</p>
                </Match>
                <Match when={true}>
                  <ul aria-label="Your notifications" class="flex flex-col gap-0.5">
                    <For each={store.items()}>{(n) => <NotificationRow notification={n} onOpen={openOne} />}</For>
                  </ul>
                </Match>
              </Switch>
            </div>
          </Popover.Content>
        </Popover.Positioner>
      </Portal>
    </Popover.Root>
  );
}

function NotificationRow(props: { notification: Notification; onOpen: (n: Notification) => void }) {
  const kind = () => KINDS[props.notification.kind] ?? KINDS.episode_aired;
  const unread = () => !props.notification.readAt;
  return (
    <li>
      <button
        type="button"
        data-unread={unread() ? 'true' : undefined}
        class="flex w-full items-start gap-3 rounded-xl px-3 py-2.5 text-left transition-colors hover:bg-hover"
        onClick={() => props.onOpen(props.notification)}
      >
        <span class={`mt-0.5 grid size-8 shrink-0 place-items-center rounded-lg bg-surface ${kind().tone}`} title={kind().label}>
          {(() => {
            const Icon = kind().icon;
            return <Icon class="size-4" strokeWidth={1.75} aria-hidden="true" />;
          })()}
        </span>
        <span class="min-w-0 flex-1">
          <span class="block truncate text-sm text-ink" classList={{ 'font-medium': unread() }}>
            {props.notification.title}
          </span>
          <Show when={props.notification.body}>
            <span class="mt-0.5 line-clamp-2 block text-xs text-ink-muted">{props.notification.body}</span>
          </Show>
          <time datetime={props.notification.createdAt} class="mt-1 block text-xs text-ink-subtle">
            {formatRelative(props.notification.createdAt)}
          </time>
        </span>
        <Show when={unread()}>
          <span class="mt-2 size-2 shrink-0 rounded-full bg-accent" aria-label="Unread" />
        </Show>
      </button>
    </li>
  );
}
