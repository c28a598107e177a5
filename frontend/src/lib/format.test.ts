import { describe, expect, it } from 'vitest';
import { formatBytes, formatScoreOf5, formatSpeed, formatStars, formatStarsOf5, fromStars, toStars } from './format';

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

describe('ratings: 1–10 inside, five stars with halves on screen', () => {
  it.each([
    [10, 5, '★★★★★', '5 of 5'],
    [9, 4.5, '★★★★½', '4.5 of 5'],
    [8, 4, '★★★★', '4 of 5'],
    [8.5, 4.5, '★★★★½', '4.5 of 5'],
    [7.5, 4, '★★★★', '4 of 5'],
    [1, 0.5, '½', '0.5 of 5'],
  ])('%d -> %d stars, %s, %s', (rating, stars, shown, words) => {
    expect(toStars(rating)).toBe(stars);
    expect(formatStars(rating)).toBe(shown);
    expect(formatStarsOf5(rating)).toBe(words);
  });

  it('says so when there is no rating', () => {
    expect([formatStars(null), formatStarsOf5(undefined), toStars(0)]).toEqual(['', 'Not rated', 0]);
  });

  it('maps stars back to the API scale and round-trips every half star', () => {
    for (let halves = 1; halves <= 10; halves += 1) expect(toStars(fromStars(halves / 2))).toBe(halves / 2);
    expect([fromStars(4), fromStars(4.5), fromStars(0), fromStars(7)]).toEqual([8, 9, 1, 10]);
  });

  it('puts a community average on the same scale with one decimal', () => {
    expect([formatScoreOf5(7.8), formatScoreOf5(10), formatScoreOf5(0), formatScoreOf5(null)]).toEqual(['3.9', '5.0', undefined, undefined]);
  });
});
