import { afterEach, describe, expect, it, vi } from 'vitest';
import { ApiError } from '../api/client';
import { fetchAllPages } from '../api/allPages';
import { createMembershipStore } from './membership';
import { clearToasts, toasts } from './toasts';

afterEach(() => clearToasts());

function store(overrides: Partial<Parameters<typeof createMembershipStore>[0]> = {}) {
  return createMembershipStore({
    noun: 'watch later',
    listIds: async () => [1, 2],
    add: vi.fn(async () => undefined),
    remove: vi.fn(async () => undefined),
    ...overrides,
  });
}

describe('membership store (watch later, favorites)', () => {
  it('loads the ids once and answers has()', async () => {
    const listIds = vi.fn(async () => [7, 9]);
    const s = store({ listIds });
    await Promise.all([s.ensureLoaded(), s.ensureLoaded()]);
    await s.ensureLoaded();
    expect(listIds).toHaveBeenCalledOnce();
    expect([s.has(7), s.has(9), s.has(8)]).toEqual([true, true, false]);
  });

  it('adds optimistically: has() is true before the server answers', async () => {
    let release!: () => void;
    const add = vi.fn(() => new Promise<void>((resolve) => (release = resolve)));
    const s = store({ add });
    await s.ensureLoaded();
    const pending = s.toggle(5, 'Heat');
    expect(s.has(5)).toBe(true);
    release();
    await expect(pending).resolves.toBe(true);
    expect(add).toHaveBeenCalledWith(5);
    expect(s.has(5)).toBe(true);
  });

  it('rolls back and shows the API error when the server refuses', async () => {
    const add = vi.fn(async () => {
      throw new ApiError(500, 'internal_error', 'The database is on fire');
    });
    const s = store({ add });
    await s.ensureLoaded();
    await expect(s.toggle(5, 'Heat')).resolves.toBe(false);
    expect(s.has(5)).toBe(false);
    const [toast] = toasts();
    expect(toast).toMatchObject({ tone: 'error', title: 'Couldn\u2019t add \u201cHeat\u201d to watch later'.replace('\u2019', "'"), body: 'The database is on fire' });
  });

  it('rolls back a failed removal too', async () => {
    const remove = vi.fn(async () => {
      throw new ApiError(0, 'network_error', "Can't reach the /seen/ API.");
    });
    const s = store({ remove });
    await s.ensureLoaded();
    await s.toggle(1, 'Alien');
    expect(s.has(1)).toBe(true);
    expect(toasts()[0]?.body).toBe("Can't reach the /seen/ API.");
  });

  it('reset() forgets the list (the next account loads its own)', async () => {
    const s = store();
    await s.ensureLoaded();
    s.reset();
    expect([s.ready(), s.has(1)]).toEqual([false, false]);
  });
});

describe('fetchAllPages', () => {
  it('walks pages of 100 until the total is reached', async () => {
    const fetchPage = vi.fn(async (page: number, pageSize: number) => ({
      items: Array.from({ length: page < 3 ? pageSize : 5 }, (_, i) => (page - 1) * pageSize + i),
      total: 205,
    }));
    const all = await fetchAllPages(fetchPage);
    expect(all).toHaveLength(205);
    expect(fetchPage.mock.calls.map(([page]) => page)).toEqual([1, 2, 3]);
  });
});
