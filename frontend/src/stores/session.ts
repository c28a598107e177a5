import { createSignal, type Accessor } from 'solid-js';
import {
  api,
  ApiError,
  call,
  CSRF_COOKIE,
  CSRF_HEADER,
  readCookie,
  sessionHooks,
  transport,
  type Transport,
} from '../api/client';
import type { SessionOut, UserOut } from '../api/types';
import { resetMemberships } from './membership';
import { clearToasts } from './toasts';

/**
 * Who is signed in. The access token lives only in the transport's memory;
 * a reload starts `unknown`, and `bootstrap()` tries the refresh cookie, then
 * asks `GET /auth/me`, ending `authenticated` or `anonymous`.
 */
export type SessionStatus = 'unknown' | 'authenticated' | 'anonymous';

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
    clearToasts();
    setUser(undefined);
    setStatus('anonymous');
  };

  const bootstrap = () => {
    if (status() !== 'unknown') return Promise.resolve(status());
    booting ??= (async () => {
      try {
        const session = await transportImpl.refresh();
        if (!session) {
          signOut();
          return status();
        }
        setUser(await call(api.GET('/api/v1/auth/me')));
        setStatus('authenticated');
      } catch {
        signOut(); // unreachable API or a refused token: show the login page, which reports errors itself
      } finally {
        booting = undefined;
      }
      return status();
    })();
    return booting;
  };

  return {
    status,
    user,
    expired,
    bootstrap,
    async login(email, password) {
      return signIn(await call(api.POST('/api/v1/auth/login', { body: { email, password } })));
    },
    async register(email, password, displayName) {
      const body = { email, password, displayName: displayName?.trim() || null };
      return signIn(await call(api.POST('/api/v1/auth/register', { body })));
    },
    async logout() {
      const csrf = readCookie(CSRF_COOKIE);
      try {
        await call(api.POST('/api/v1/auth/logout', { headers: csrf ? { [CSRF_HEADER]: csrf } : {} }));
      } catch (error) {
        // The server may already have ended the session; locally we sign out regardless.
        if (!(error instanceof ApiError)) throw error;
      } finally {
        signOut();
      }
    },
    async updateProfile(displayName) {
      const updated = await call(api.PATCH('/api/v1/auth/me', { body: { displayName } }));
      setUser(updated);
      return updated;
    },
    expire() {
      if (status() === 'authenticated') setExpired(true);
      signOut();
    },
  };
}

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
  transport.setToken(undefined);
}
