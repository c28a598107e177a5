import { describe, expect, it } from 'vitest';
import { formatBytes, formatSpeed } from './format';

describe('sizes (decimal units: 1 GB = 10^9 bytes, as torrent clients and the scoring reasons say)', () => {
  it.each([
    [0, '0 B'],
    [999, '999 B'],
    [1000, '1.0 kB'],
    [1_500_000_000, '1.5 GB'],
    [734_003_200, '734 MB'],
    [1024 ** 3, '1.1 GB'],
    [999_999, '1.0 MB'],
    [999_400, '999 kB'],
    [4.2e12, '4.2 TB'],
    [3e18, '3000 PB'],
  ])('%d bytes -> %s', (bytes, shown) => {
    expect(formatBytes(bytes)).toBe(shown);
  });

  it('says nothing for unknown sizes', () => {
    expect([formatBytes(null), formatBytes(undefined), formatBytes(Number.NaN)]).toEqual(['—', '—', '—']);
  });

  it('reads speeds per second and nothing when idle', () => {
    expect([formatSpeed(2_500_000), formatSpeed(0), formatSpeed(null)]).toEqual(['2.5 MB/s', '—', '—']);
  });
});
