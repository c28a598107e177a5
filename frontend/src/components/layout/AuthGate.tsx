import { APP_HOME, LOGIN_PATH, REGISTER_PATH } from '../../navigation';
import { Navigate, useLocation } from '@solidjs/router';
import CloudOff from 'lucide-solid/icons/cloud-off';
import { Match, onMount, Show, Switch, type JSX } from 'solid-js';
import { useSession } from '../../stores/session';

/** Only paths inside the app are valid `next` targets (no open redirects). */
export function safeNext(next: string | undefined | null): string {
  if (!next || !next.startsWith('/app/')) return APP_HOME;
  if (next.startsWith(LOGIN_PATH) || next.startsWith(REGISTER_PATH)) return APP_HOME;
  return next;
}

function Splash() {
  return (
    <div role="status" class="grid min-h-dvh place-items-center bg-canvas">
      <span class="sr-only">Loading your session…</span>
      <span aria-hidden="true" class="animate-shimmer text-2xl font-semibold tracking-tight text-ink">
        <span class="text-accent">/</span>seen<span class="text-secondary">/</span>
      </span>
    </div>
  );
}

function OfflineNote() {
  return (
    <div
      role="status"
      class="fixed inset-x-0 bottom-4 z-40 mx-auto flex w-fit max-w-[calc(100vw-2rem)] items-center gap-2 rounded-full border border-line-strong bg-raised/95 px-4 py-2 text-sm text-ink-muted shadow-float backdrop-blur-xl"
    >
      <CloudOff class="size-4 shrink-0 text-warn" strokeWidth={1.75} aria-hidden="true" />
      You're offline: /seen/ can't be reached. It reconnects on its own.
    </div>
  );
}

/**
 * Renders its children for a signed-in user. On a reload it first restores the
 * session (refresh cookie, then /auth/me); signed-out visitors go to
 * /login?next=<where they wanted to be>. Offline with a session cookie (the
 * installed app opened without a network), the shell renders anyway — from
 * the service worker's cache — with a note that /seen/ will reconnect.
 */
export function AuthGate(props: { children: JSX.Element }) {
  const session = useSession();
  const location = useLocation();
  onMount(() => void session.bootstrap());

  return (
    <Switch fallback={<Splash />}>
      <Match when={session.status() === 'authenticated' || session.status() === 'offline'}>
        <Show when={session.status() === 'offline'}>
          <OfflineNote />
        </Show>
        {props.children}
      </Match>
      <Match when={session.status() === 'anonymous'}>
        <Navigate href={`${LOGIN_PATH}?next=${encodeURIComponent(location.pathname + location.search)}`} />
      </Match>
    </Switch>
  );
}
