import type { BrowseSort, MediaType } from '../../api/types';
import { toStars } from '../../lib/format';

/** Catalog filters as they live in the URL (?genre=&released=&rating=&lang=&country=&votes=&sort=&page=). */
export interface CatalogFilters {
  genre?: string;
  released?: string;
  rating?: string;
  /** The original language, ISO 639-1 (`ko`). */
  language?: string;
  /** A country of origin, ISO 3166-1 alpha-2 (`KR`). */
  country?: string;
  /** At least this many votes. */
  votes?: string;
  sort?: BrowseSort;
  page: number;
  type?: MediaType;
}

export const SORTS: { value: BrowseSort; label: string }[] = [
  { value: 'popular', label: 'Popular' },
  { value: 'trending', label: 'Trending' },
  { value: 'top_rated', label: 'Top rated' },
  { value: 'most_rated', label: 'Most rated' },
  { value: 'popular_here', label: 'Popular here' },
  { value: 'newest', label: 'Newest' },
  { value: 'hidden_gems', label: 'Hidden gems' },
  { value: 'a-z', label: 'A–Z' },
];

/** Release windows offered as one control; each maps onto yearFrom/yearTo. */
export const RELEASED: { value: string; label: string; from?: number; to?: number }[] = [
  { value: 'upcoming', label: 'This year & upcoming', from: new Date().getFullYear() },
  { value: '2020s', label: '2020s', from: 2020, to: 2029 },
  { value: '2010s', label: '2010s', from: 2010, to: 2019 },
  { value: '2000s', label: '2000s', from: 2000, to: 2009 },
  { value: '1990s', label: '1990s', from: 1990, to: 1999 },
  { value: 'classic', label: 'Before 1990', to: 1989 },
];

/** Minimum community score: the API's 0–10 value, labelled on the five-star scale every rating uses. */
export const RATINGS: { value: string; label: string }[] = ['6', '7', '8'].map((value) => ({
  value,
  label: `${toStars(Number(value))}★ and up`,
}));

/** Languages and countries offered without a search to count them: the ones most catalogs hold most of. */
const COMMON_LANGUAGES = ['en', 'ja', 'ko', 'fr', 'es', 'de', 'it', 'zh', 'hi', 'pt', 'sv', 'da', 'no', 'tr', 'th', 'ru'];
const COMMON_COUNTRIES = ['US', 'GB', 'JP', 'KR', 'FR', 'DE', 'ES', 'IT', 'IN', 'CA', 'AU', 'BR', 'MX', 'CN', 'HK', 'SE', 'DK', 'IE', 'NZ'];

function displayName(type: 'language' | 'region', code: string): string {
  try {
    return new Intl.DisplayNames(undefined, { type }).of(code) ?? code;
  } catch {
    return code;
  }
}

export const languageName = (code: string) => displayName('language', code);
export const countryName = (code: string) => displayName('region', code);

const byLabel = (a: { label: string }, b: { label: string }) => a.label.localeCompare(b.label);
export const LANGUAGES = COMMON_LANGUAGES.map((value) => ({ value, label: languageName(value) })).sort(byLabel);
export const COUNTRIES = COMMON_COUNTRIES.map((value) => ({ value, label: countryName(value) })).sort(byLabel);

/** Minimum number of votes: hides the titles too few people have rated for their score to mean much. */
export const VOTES: { value: string; label: string }[] = ['100', '1000', '10000'].map((value) => ({
  value,
  label: `${Number(value).toLocaleString('en-US')}+ votes`,
}));

const MEDIA_TYPES: MediaType[] = ['movie', 'show', 'game'];

type Params = Partial<Record<string, string | string[]>>;
const one = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value) || undefined;

export function parseFilters(params: Params): CatalogFilters {
  const page = Number.parseInt(one(params.page) ?? '1', 10);
  const sort = one(params.sort);
  const type = one(params.type);
  const released = one(params.released);
  const rating = one(params.rating);
  const language = one(params.lang)?.toLowerCase();
  const country = one(params.country)?.toUpperCase();
  const votes = one(params.votes);
  return {
    genre: one(params.genre),
    released: RELEASED.some((r) => r.value === released) ? released : undefined,
    rating: RATINGS.some((r) => r.value === rating) ? rating : undefined,
    language: language && /^[a-z]{2,3}$/.test(language) ? language : undefined,
    country: country && /^[A-Z]{2}$/.test(country) ? country : undefined,
    votes: VOTES.some((v) => v.value === votes) ? votes : undefined,
    sort: SORTS.some((s) => s.value === sort) ? (sort as BrowseSort) : undefined,
    type: MEDIA_TYPES.includes(type as MediaType) ? (type as MediaType) : undefined,
    page: Number.isFinite(page) && page > 0 ? page : 1,
  };
}

/** The API query for a set of filters (what GET /movies, /shows, /games, /discover, /search take). */
export function toApiQuery(filters: CatalogFilters) {
  const window = RELEASED.find((r) => r.value === filters.released);
  return {
    genre: filters.genre ?? null,
    yearFrom: window?.from ?? null,
    yearTo: window?.to ?? null,
    ratingMin: filters.rating ? Number(filters.rating) : null,
    originalLanguage: filters.language ?? null,
    country: filters.country ?? null,
    minVotes: filters.votes ? Number(filters.votes) : null,
  };
}

/** The URL keys of the filters (what "Clear filters" empties). */
export const FILTER_KEYS = ['genre', 'released', 'rating', 'lang', 'country', 'votes'] as const;

export function activeFilterCount(filters: CatalogFilters): number {
  return [filters.genre, filters.released, filters.rating, filters.language, filters.country, filters.votes].filter(Boolean)
    .length;
}

/**
 * The sort as the API's query type spells it. TODO(api): `most_rated` and `popular_here` are new with
 * issue 23; drop this cast once schema.d.ts lists them (`make api-types`).
 */
export const apiSort = (sort: BrowseSort) => sort as Exclude<BrowseSort, 'most_rated' | 'popular_here'>;
