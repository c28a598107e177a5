import { createSignal, type Accessor } from 'solid-js';
import { fetchMe, login, logout, register, updateDisplayName } from '../api/auth';
import { ApiError, CSRF_COOKIE, readCookie, sessionHooks, transport, type Transport } from '../api/client';
import { queryClient } from '../api/queryClient';
import type { SessionOut, UserOut } from '../api/types';
import { resetMemberships } from './membership';
import { resetNotifications } from './notifications';
import { resetProfiles } from './profiles';
import { clearToasts } from './toasts';

/**
 * Who is signed in. The access token lives only in the transport's memory;
 * a reload starts `unknown`, and `bootstrap()` tries the refresh cookie, then
 * asks `GET /auth/me`, ending `authenticated` or `anonymous` — or `offline`:
 * the API could not be reached at all while the session cookie is there (the
 * installed app opened without a network). The shell then renders from the
 * service worker's cache, and the session is restored once the browser is
 * back online.
 */
export type SessionStatus = 'unknown' | 'authenticated' | 'anonymous' | 'offline';

export interface SessionStore {
  status: Accessor<SessionStatus>;
  user: Accessor<UserOut | undefined>;
  /** Why the last session ended on its own (expired elsewhere), for the login page. */
  expired: Accessor<boolean>;
  bootstrap(): Promise<SessionStatus>;
  login(email: string, password: string): Promise<UserOut>;
  register(email: string, password: string, displayName?: string): Promise<UserOut>;
  logout(): Promise<void>;
  /** PATCH /auth/me: the display name (null clears it). */
  updateProfile(displayName: string | null): Promise<UserOut>;
  /** The transport could not refresh: the session is over. */
  expire(): void;
}

export function createSessionStore(transportImpl: Transport = transport): SessionStore {
  const [status, setStatus] = createSignal<SessionStatus>('unknown');
  const [user, setUser] = createSignal<UserOut>();
  const [expired, setExpired] = createSignal(false);
  let booting: Promise<SessionStatus> | undefined;

  const signIn = (session: SessionOut) => {
    transportImpl.setToken(session.accessToken);
    setUser(session.user);
    setExpired(false);
    setStatus('authenticated');
    return session.user;
  };

  const signOut = () => {
    transportImpl.setToken(undefined);
    resetMemberships(); // the next account must not see this one's lists
    resetNotifications();
    resetProfiles();
    queryClient.clear(); // nor anything cached of it
    clearToasts();
    setUser(undefined);
    setStatus('anonymous');
  };

  const restore = () => {
    booting ??= (async () => {
      try {
        const session = await transportImpl.refresh();
        if (!session) {
          signOut();
          return status();
        }
        setUser(await fetchMe());
        setStatus('authenticated');
      } catch (error) {
        if (isOffline(error) && readCookie(CSRF_COOKIE)) goOffline();
        else signOut(); // a refused token, or no session to restore: show the login page, which reports errors itself
      } finally {
        booting = undefined;
      }
      return status();
    })();
    return booting;
  };

  // Retried when the browser says it is back online, and every little while (a server restarting, or a
  // network the browser never noticed dropping: its online flag is not reliable).
  let retry: ReturnType<typeof setTimeout> | undefined;
  const goOffline = () => {
    if (status() !== 'offline') window.addEventListener('online', () => void restore(), { once: true });
    clearTimeout(retry);
    retry = setTimeout(() => status() === 'offline' && void restore(), OFFLINE_RETRY_MS);
    setStatus('offline');
  };

  const bootstrap = () => (status() === 'unknown' ? restore() : Promise.resolve(status()));

  return {
    status,
    user,
    expired,
    bootstrap,
    async login(email, password) {
      return signIn(await login(email, password));
    },
    async register(email, password, displayName) {
      const body = { email, password, displayName: displayName?.trim() || null };
      return signIn(await register(body));
    },
    async logout() {
      const csrf = readCookie(CSRF_COOKIE);
      try {
        await logout(csrf);
      } catch (error) {
        // The server may already have ended the session; locally we sign out regardless.
        if (!(error instanceof ApiError)) throw error;
      } finally {
        signOut();
      }
    },
    async updateProfile(displayName) {
      const updated = await updateDisplayName(displayName);
      setUser(updated);
      return updated;
    },
    expire() {
      if (status() === 'authenticated') setExpired(true);
      signOut();
    },
  };
}

/** No answer at all (the network or the server is down), as opposed to an answer that says no. */
const isOffline = (error: unknown) => error instanceof ApiError && error.status === 0;
const OFFLINE_RETRY_MS = 15_000;

let appSession: SessionStore | undefined;

/** The app-wide session, wired to the API transport's refresh outcome. */
export function useSession(): SessionStore {
  if (!appSession) {
    const store = createSessionStore();
    sessionHooks.onSessionLost = () => store.expire();
    appSession = store;
  }
  return appSession;
}

/** Tests start every case signed out. */
export function resetSessionForTests() {
  appSession = undefined;
  resetProfiles();
  transport.setToken(undefined);
}
