import type { Profile } from '../api/profiles';

/** A profile as GET /me/profiles lists it; `overrides` change any field. */
export function testProfile(overrides: Partial<Profile> = {}): Profile {
  return {
    id: 'p-owner',
    name: 'Ada',
    kind: 'adult',
    maxRating: null,
    allowedCollections: [],
    hasPin: false,
    theme: 'dark',
    color: '#6366f1',
    isOwner: true,
    createdAt: '2026-01-01T00:00:00Z',
    ...overrides,
  } as Profile;
}

export const owner = testProfile();
export const parent = testProfile({ id: 'p-pin', name: 'Bob', hasPin: true, isOwner: false, color: '#10b981' });
export const kid = testProfile({ id: 'p-kid', name: 'Kit', kind: 'kid', maxRating: 'PG', isOwner: false, color: '#f59e0b', theme: 'light' });

export const profileList = (currentId = owner.id, items: Profile[] = [owner, parent, kid]) => ({ items, currentId });
