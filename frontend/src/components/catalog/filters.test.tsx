import { render, screen } from '@solidjs/testing-library';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { FilterBar, type FilterPatch } from './FilterBar';
import { activeFilterCount, COUNTRIES, FILTER_KEYS, LANGUAGES, parseFilters, RATINGS, toApiQuery } from './filters';

describe('the minimum-rating filter', () => {
  it('says its scale (five stars) while the URL and the API keep the 0–10 value', () => {
    expect(RATINGS.map((r) => r.label)).toEqual(['3★ and up', '3.5★ and up', '4★ and up']);
    expect(RATINGS.map((r) => r.value)).toEqual(['6', '7', '8']);
    expect(toApiQuery(parseFilters({ rating: '7' })).ratingMin).toBe(7);
    expect(parseFilters({ rating: '3.5' }).rating).toBeUndefined();
  });
});

describe('the language, country and votes filters', () => {
  it('read the URL, refuse what the API would, and reach the API under its names', () => {
    const filters = parseFilters({ lang: 'KO', country: 'kr', votes: '1000' });
    expect(filters).toMatchObject({ language: 'ko', country: 'KR', votes: '1000' });
    expect(toApiQuery(filters)).toMatchObject({ originalLanguage: 'ko', country: 'KR', minVotes: 1000 });
    expect(activeFilterCount(filters)).toBe(3);

    const bad = parseFilters({ lang: 'korean', country: 'KOR', votes: '7' });
    expect([bad.language, bad.country, bad.votes]).toEqual([undefined, undefined, undefined]);
    expect(toApiQuery(bad)).toMatchObject({ originalLanguage: null, country: null, minVotes: null });
  });

  it('name languages and countries in words, and clear with the other filters', () => {
    expect(LANGUAGES.find((l) => l.value === 'ja')?.label).toBe('Japanese');
    expect(COUNTRIES.find((c) => c.value === 'KR')?.label).toBe('South Korea');
    expect(FILTER_KEYS).toEqual(expect.arrayContaining(['lang', 'country', 'votes', 'genre']));
  });
});

describe('FilterBar', () => {
  it('offers the search’s own languages with their counts, keeping a chosen one, and sends URL keys', async () => {
    const changes: FilterPatch[] = [];
    render(() => (
      <FilterBar
        filters={parseFilters({ country: 'XK' })}
        genres={[]}
        onChange={(patch) => changes.push(patch)}
        languages={[{ language: 'en', count: 1200 }, { language: 'ko', count: 3 }]}
      />
    ));
    const language = screen.getByLabelText('Original language') as HTMLSelectElement;
    expect([...language.options].map((o) => o.text)).toEqual(['Any language', 'English (1,200)', 'Korean (3)']);
    const country = screen.getByLabelText('Country of origin') as HTMLSelectElement;
    expect(country.value).toBe('XK'); // not in the common list, still shown as chosen

    await userEvent.selectOptions(language, 'ko');
    await userEvent.selectOptions(screen.getByLabelText('Minimum votes'), '10000');
    expect(changes).toEqual([{ lang: 'ko' }, { votes: '10000' }]);

    await userEvent.click(screen.getByRole('button', { name: /clear filters/i }));
    expect(changes.at(-1)).toEqual({ genre: undefined, released: undefined, rating: undefined, lang: undefined, country: undefined, votes: undefined });
  });
});
