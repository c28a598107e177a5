import { describe, expect, it } from 'vitest';
import { LIBRARY_PAGE_SIZE, pageOf, parseLibraryFilters, tabOf, toLibraryQuery } from './filters';

describe('library filters', () => {
  it('reads known values from the URL and drops the rest', () => {
    expect(parseLibraryFilters({ type: 'show', state: 'unmatched', q: '  dune ', page: '3' })).toEqual({
      mediaType: 'show',
      matchState: 'unmatched',
      query: 'dune',
      page: 3,
    });
    expect(parseLibraryFilters({ type: 'game', state: 'lost', q: '   ', page: '-2' })).toEqual({
      mediaType: undefined,
      matchState: undefined,
      query: undefined,
      page: 1,
    });
  });

  it('keeps page numbers sane', () => {
    expect(pageOf('2.5')).toBe(1);
    expect(pageOf('abc')).toBe(1);
    expect(pageOf('999999')).toBe(10_000);
  });

  it('sends only the filters that are set', () => {
    expect(toLibraryQuery({ page: 1 })).toEqual({ page: 1, pageSize: LIBRARY_PAGE_SIZE });
    expect(toLibraryQuery({ mediaType: 'movie', query: 'heat', page: 2 })).toEqual({
      mediaType: 'movie',
      query: 'heat',
      page: 2,
      pageSize: LIBRARY_PAGE_SIZE,
    });
  });

  it('opens the unmatched tab only when asked', () => {
    expect(tabOf({ tab: 'unmatched' })).toBe('unmatched');
    expect(tabOf({ tab: 'x' })).toBe('all');
  });
});
