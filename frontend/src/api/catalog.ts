/** The catalog: browse movies, shows and games, the Discover rows, search and its suggestions, genres. */
import { api, call } from './client';
import { pending } from './pending';
import type { paths } from './schema';
import type { MediaType } from './types';

export type BrowseQuery = NonNullable<paths['/api/v1/movies']['get']['parameters']['query']>;
export type DiscoverQuery = NonNullable<paths['/api/v1/discover']['get']['parameters']['query']>;
export type SearchQuery = NonNullable<paths['/api/v1/search']['get']['parameters']['query']>;

/** Keys carry the API query itself: the same filters are the same answer. */
export const catalogKeys = {
  genres: (mediaType: MediaType | undefined) => ['catalog', 'genres', mediaType ?? null] as const,
  browse: (mediaType: MediaType, query: BrowseQuery) => ['catalog', 'browse', mediaType, query] as const,
  discover: (query: DiscoverQuery) => ['catalog', 'discover', query] as const,
  search: (query: SearchQuery) => ['catalog', 'search', query] as const,
};

export const fetchGenres = (mediaType: MediaType | undefined) =>
  call(api.GET('/api/v1/genres', { params: { query: { mediaType: mediaType ?? null } } }));

/** One page of movies, shows or games. */
export function fetchBrowse(mediaType: MediaType, query: BrowseQuery) {
  if (mediaType === 'movie') return call(api.GET('/api/v1/movies', { params: { query } }));
  if (mediaType === 'show') return call(api.GET('/api/v1/shows', { params: { query } }));
  return call(api.GET('/api/v1/games', { params: { query } }));
}

/** One page of Discover rows. */
export const fetchDiscover = (query: DiscoverQuery) => call(api.GET('/api/v1/discover', { params: { query } }));

export const searchCatalog = (query: SearchQuery) => call(api.GET('/api/v1/search', { params: { query } }));

/** The few titles the search box offers while you type. */
export const fetchSuggestions = (q: string) => call(api.GET('/api/v1/search/suggest', { params: { query: { q } } }));

/** Counts a click on a Discover row's card (which rows people open orders the rows). */
export const postDiscoverClick = (sectionKey: string, mediaId?: number) =>
  call(pending.POST('/api/v1/engagement/clicks', { body: { sectionKey, ...(mediaId != null ? { mediaId } : {}) } }));
