/**
 * Household profiles: who is watching on this account (GET /me/profiles), managing them, and switching
 * to one (`select`, which answers with a new access token acting as that profile).
 */
import { api, call, type SessionOut } from './client';
import type { components } from './schema';

type S = components['schemas'];

export type Profile = S['ProfileOut'];
export type ProfileKind = Profile['kind'];
export type ProfileList = S['ProfileList'];
export type ProfileCreate = S['ProfileInInput'];
/** Only the fields sent change; `pin: null` clears the PIN. */
export type ProfilePatch = S['ProfilePatchInput'];
export type ProfileTheme = Profile['theme'];

const path = (id: string) => ({ params: { path: { profile_id: id } } });

export const fetchProfiles = (): Promise<ProfileList> => call(api.GET('/api/v1/me/profiles'));

export const createProfile = (body: ProfileCreate): Promise<Profile> => call(api.POST('/api/v1/me/profiles', { body }));

export const updateProfile = (id: string, body: ProfilePatch): Promise<Profile> =>
  call(api.PATCH('/api/v1/me/profiles/{profile_id}', { ...path(id), body }));

export const deleteProfile = (id: string) => call(api.DELETE('/api/v1/me/profiles/{profile_id}', path(id)));

/**
 * What a kid's session gives to open an adult profile while the owner's profile has no PIN yet (a household
 * from before a kid needed one): the account's password, and the owner's new PIN.
 */
export interface OwnerPinSetup {
  password: string;
  ownerPin: string;
}

/**
 * Acts as profile `id` from now on: a new session (403 `wrong_pin`/`pin_required`, `owner_pin_setup` from a
 * kid while the owner has no PIN, 429 when throttled).
 */
export const selectProfile = (id: string, pin?: string, setup?: OwnerPinSetup): Promise<SessionOut> =>
  call(api.POST('/api/v1/me/profiles/{profile_id}/select', { ...path(id), body: { ...(pin ? { pin } : {}), ...setup } }));

/**
 * Whether picking `profile` from the session acting as `current` asks a PIN before the API is asked: its own,
 * or (from a kid, for an adult without one) the account owner's — `'setup'` while the owner has none either.
 */
export function pinAsked(profile: Profile, current: Profile | undefined, owner: Profile | undefined): 'own' | 'owner' | 'setup' | undefined {
  if (profile.hasPin) return 'own';
  if (current?.kind !== 'kid' || profile.kind !== 'adult') return undefined;
  return owner?.hasPin ? 'owner' : 'setup';
}

/** Certification labels a kid profile's limit can be, by system (what chalicelib/contentrating knows). */
export const RATING_GROUPS: { label: string; ratings: string[] }[] = [
  { label: 'Films (US)', ratings: ['G', 'PG', 'PG-13', 'R', 'NC-17'] },
  { label: 'TV (US)', ratings: ['TV-Y', 'TV-Y7', 'TV-G', 'TV-PG', 'TV-14', 'TV-MA'] },
  { label: 'Games (PEGI)', ratings: ['PEGI 3', 'PEGI 7', 'PEGI 12', 'PEGI 16', 'PEGI 18'] },
  { label: 'Games (ESRB)', ratings: ['E', 'E10+', 'T', 'M'] },
];

/** Tile colours a profile can take (stored as hex). */
export const PROFILE_COLORS = ['#e50914', '#f59e0b', '#10b981', '#0ea5e9', '#6366f1', '#d946ef', '#f43f5e', '#64748b'] as const;

/** A profile's tile colour; an unknown or missing one falls back to a stable pick by name. */
export function colorOf(profile: Pick<Profile, 'color' | 'name'>): string {
  if (profile.color && /^#[0-9a-f]{6}$/i.test(profile.color)) return profile.color;
  let hash = 0;
  for (const char of profile.name) hash = (hash * 31 + char.charCodeAt(0)) >>> 0;
  return PROFILE_COLORS[hash % PROFILE_COLORS.length] ?? PROFILE_COLORS[0];
}

export const initialOf = (name: string) => (name.trim()[0] ?? '?').toUpperCase();
