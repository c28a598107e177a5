import { A } from '@solidjs/router';
import ShieldCheck from 'lucide-solid/icons/shield-check';
import { Match, Show, Switch, type JSX } from 'solid-js';
import type { UserOut } from '../../api/types';
import { APP_HOME, PROFILES_PATH } from '../../navigation';
import { useProfiles } from '../../stores/profiles';
import { useSession, type SessionStatus } from '../../stores/session';
import { EmptyState } from '../ui/EmptyState';
import { Page } from '../ui/Page';
import { buttonStyles } from '../ui/button';

/**
 * What an admin-only page shows, by session state:
 * - `wait`: the session is still being restored (AuthGate shows its splash);
 * - `login`: signed out, and AuthGate sends the visitor to the login page;
 * - `denied`: signed in, but not an admin: an "admins only" page, never the login page;
 * - `allowed`: an admin.
 */
export type AdminAccess = 'wait' | 'login' | 'denied' | 'allowed';

export function adminAccess(status: SessionStatus, user: Pick<UserOut, 'role'> | undefined, actsAsOwner = true): AdminAccess {
  if (status === 'anonymous') return 'login';
  if (status !== 'authenticated' || !user) return 'wait';
  // The API opens admin routes to the account's own profile only, not to its other (adult) profiles.
  return user.role === 'admin' && actsAsOwner ? 'allowed' : 'denied';
}

/** The page a signed-in non-admin sees at an admin URL: who they are and where to go instead. */
export function AdminsOnly() {
  const session = useSession();
  const profiles = useProfiles();
  const who = () => session.user()?.email;
  const otherProfile = () => session.user()?.role === 'admin' && !profiles.actsAsOwner();
  return (
    <Page title="Admins only" description="This part of /seen/ manages the whole server: accounts, workers, jobs, storage and indexers.">
      <Show
        when={otherProfile()}
        fallback={
          <EmptyState
            icon={ShieldCheck}
            title="Your account is not an admin"
            body={`You are signed in${who() ? ` as ${who()}` : ''}, but only administrators can open this page. Ask the person who runs this /seen/ server to make your account an admin.`}
            action={<A href={APP_HOME} class={buttonStyles.primary}>Back to your dashboard</A>}
          />
        }
      >
        <EmptyState
          icon={ShieldCheck}
          title="Admin opens on the account's own profile"
          body={`You are watching as ${profiles.current()?.name ?? 'another profile'}. Switch to the account's own profile to manage the server.`}
          action={<A href={PROFILES_PATH} class={buttonStyles.primary}>Switch profile</A>}
        />
      </Show>
    </Page>
  );
}

/**
 * Renders its children for admins only. It sits inside AuthGate, which already
 * sends signed-out visitors to the login page; a signed-in user without the
 * admin role gets `AdminsOnly` at the same URL.
 */
export function AdminGate(props: { children: JSX.Element }) {
  const session = useSession();
  const profiles = useProfiles();
  const access = () => adminAccess(session.status(), session.user(), profiles.actsAsOwner());
  return (
    <Switch>
      <Match when={access() === 'allowed'}>{props.children}</Match>
      <Match when={access() === 'denied'}>
        <AdminsOnly />
      </Match>
    </Switch>
  );
}
