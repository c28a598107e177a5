import { APP_HOME, LOGIN_PATH, REGISTER_PATH } from '../../navigation';
import { Navigate, useLocation } from '@solidjs/router';
import { Match, onMount, Switch, type JSX } from 'solid-js';
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

/**
 * Renders its children for a signed-in user. On a reload it first restores the
 * session (refresh cookie, then /auth/me); signed-out visitors go to
 * /login?next=<where they wanted to be>.
 */
export function AuthGate(props: { children: JSX.Element }) {
  const session = useSession();
  const location = useLocation();
  onMount(() => void session.bootstrap());

  return (
    <Switch fallback={<Splash />}>
      <Match when={session.status() === 'authenticated'}>{props.children}</Match>
      <Match when={session.status() === 'anonymous'}>
        <Navigate href={`${LOGIN_PATH}?next=${encodeURIComponent(location.pathname + location.search)}`} />
      </Match>
    </Switch>
  );
}
