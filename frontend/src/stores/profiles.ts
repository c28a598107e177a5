import { createSignal, type Accessor } from 'solid-js';
import { ApiError, toApiError, transport, type Transport } from '../api/client';
import { fetchProfiles, selectProfile, type OwnerPinSetup, type Profile } from '../api/profiles';
import { queryClient } from '../api/queryClient';
import { resetMemberships } from './membership';
import { resetNotifications } from './notifications';
import { isThemePreference, useTheme } from './theme';

/**
 * Who is watching: the account's profiles and the one this session acts as, from `GET /me/profiles`.
 *
 * `select` trades the access token for one acting as another profile and then forgets everything cached
 * (queries, watch later/favorites, notifications): one profile never sees another's data, not even for a
 * frame. A server without profiles (404) reads as one adult profile, so the app works as it did.
 */
export interface ProfileStore {
  profiles: Accessor<Profile[]>;
  currentId: Accessor<string | undefined>;
  current: Accessor<Profile | undefined>;
  /** The current profile is a kid's: no Get, Downloads, Settings or Admin. */
  isKid: Accessor<boolean>;
  /** The session acts as the account's own profile (or profiles are unknown): admin pages need it. */
  actsAsOwner: Accessor<boolean>;
  /** Loaded (or known to be unavailable) at least once since sign-in. */
  ready: Accessor<boolean>;
  error: Accessor<ApiError | undefined>;
  /** Loads the list once (again after `reset`); resolves to it. */
  ensureLoaded(): Promise<Profile[]>;
  /** Loads the list again. */
  load(): Promise<Profile[]>;
  /** Switches this session to profile `id` (with its PIN, or a kid's owner-PIN setup); throws the API's error (wrong_pin, 429...). */
  select(id: string, pin?: string, setup?: OwnerPinSetup): Promise<Profile | undefined>;
  reset(): void;
}

export interface ProfileDeps {
  transport: Transport;
  /** Forgets everything cached of the previous profile. */
  forget(): void;
  /** Applies a profile's own theme, when it has one. */
  applyTheme(theme: string): void;
}

function forgetCached() {
  resetMemberships();
  resetNotifications();
  queryClient.clear();
}

function applyProfileTheme(theme: string) {
  if (isThemePreference(theme)) useTheme().setPreference(theme);
}

export function createProfileStore(deps: ProfileDeps = { transport, forget: forgetCached, applyTheme: applyProfileTheme }): ProfileStore {
  const [profiles, setProfiles] = createSignal<Profile[]>([]);
  const [currentId, setCurrentId] = createSignal<string>();
  const [ready, setReady] = createSignal(false);
  const [error, setError] = createSignal<ApiError>();
  let loading: Promise<Profile[]> | undefined;

  const load = () => {
    loading ??= fetchProfiles()
      .then((list) => {
        const items = Array.isArray(list?.items) ? list.items : [];
        setProfiles(items);
        // `currentId` is always sent; the owner is the fallback of an older answer without it.
        setCurrentId(list.currentId ?? items.find((p) => p.isOwner)?.id);
        setError(undefined);
        return items;
      })
      .catch((cause: unknown) => {
        const failure = toApiError(cause);
        // No profiles on this server (or not for this account): one adult profile, as before.
        if (failure.status === 404) {
          setProfiles([]);
          setCurrentId(undefined);
        } else setError(failure);
        return profiles();
      })
      .finally(() => {
        setReady(true);
        loading = undefined;
      });
    return loading;
  };

  const current = () => profiles().find((profile) => profile.id === currentId());

  return {
    profiles,
    currentId,
    current,
    isKid: () => current()?.kind === 'kid',
    actsAsOwner: () => current()?.isOwner ?? true,
    ready,
    error,
    ensureLoaded: () => (ready() && !error() ? Promise.resolve(profiles()) : load()),
    load,
    async select(id, pin, setup) {
      const session = await selectProfile(id, pin, setup);
      deps.transport.setToken(session.accessToken);
      deps.forget();
      setCurrentId(id);
      await load();
      const chosen = current();
      if (chosen?.theme) deps.applyTheme(chosen.theme);
      return chosen;
    },
    reset() {
      setProfiles([]);
      setCurrentId(undefined);
      setError(undefined);
      setReady(false);
    },
  };
}

let appProfiles: ProfileStore | undefined;

/** The app-wide profile store. */
export function useProfiles(): ProfileStore {
  appProfiles ??= createProfileStore();
  return appProfiles;
}

/** Signing out forgets the profiles too (the next account has its own). */
export function resetProfiles() {
  appProfiles?.reset();
}
