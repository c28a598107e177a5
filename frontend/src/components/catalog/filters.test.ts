import { describe, expect, it } from 'vitest';
import { parseFilters, RATINGS, toApiQuery } from './filters';

describe('the minimum-rating filter', () => {
  it('says its scale (five stars) while the URL and the API keep the 0–10 value', () => {
    expect(RATINGS.map((r) => r.label)).toEqual(['3★ and up', '3.5★ and up', '4★ and up']);
    expect(RATINGS.map((r) => r.value)).toEqual(['6', '7', '8']);
    expect(toApiQuery(parseFilters({ rating: '7' })).ratingMin).toBe(7);
    expect(parseFilters({ rating: '3.5' }).rating).toBeUndefined();
  });
});
