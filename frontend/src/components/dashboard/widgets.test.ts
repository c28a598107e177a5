import { describe, expect, it } from 'vitest';
import type { Download } from '../../api/types';
import { anyActive, mergeDownloads, releaseChip } from './widgets';

const job = (id: string, status: Download['status'], progress = 0) =>
  ({ id, status, progress, attempt: 1, bytesDone: 0, createdAt: '', updatedAt: '', retryCount: 0, sourceType: 'magnet' }) as Download;

describe('dashboard widget helpers', () => {
  it('updates known downloads, keeps finished ones and adds only new active jobs', () => {
    const current = [job('a', 'downloading', 10), job('b', 'queued')];
    const fresh = [job('a', 'completed', 100), job('c', 'downloading', 5), job('d', 'failed'), job('b', 'preparing')];
    const merged = mergeDownloads(current, fresh);
    expect(merged.map((j) => [j.id, j.status])).toEqual([['c', 'downloading'], ['a', 'completed'], ['b', 'preparing']]);
    expect(anyActive(merged)).toBe(true);
    expect(anyActive([job('a', 'completed'), job('d', 'cancelled')])).toBe(false);
  });

  it('keeps a job the list no longer returns as it was', () => {
    expect(mergeDownloads([job('a', 'downloading', 10)], [])).toEqual([job('a', 'downloading', 10)]);
  });

  it('labels release dates relative to today', () => {
    expect(releaseChip('2026-11-22', '2026-11-22')).toBe('Today');
    expect(releaseChip('2026-11-23', '2026-11-22')).toBe('Tomorrow');
    const soon = releaseChip('2026-11-25', '2026-11-22');
    expect(soon).toMatch(/25/);
    expect(soon).toMatch(new Intl.DateTimeFormat(undefined, { weekday: 'short', timeZone: 'UTC' }).format(new Date('2026-11-25T12:00:00Z')));
    expect(releaseChip('2026-12-03', '2026-11-22')).toMatch(/3/);
  });
});
