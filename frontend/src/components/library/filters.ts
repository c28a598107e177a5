/** Library filters live in the URL (?type=&state=&q=&page=&tab=) so views survive reloads and can be shared. */
import type { MatchState } from './labels';

export type LibraryTab = 'all' | 'unmatched';
export type LibraryMediaType = 'movie' | 'show';

export interface LibraryFilters {
  mediaType?: LibraryMediaType;
  matchState?: MatchState;
  query?: string;
  page: number;
}

export type LibraryParams = Partial<Record<'tab' | 'type' | 'state' | 'q' | 'page' | 'qpage', string>>;

export const LIBRARY_PAGE_SIZE = 24;
export const QUEUE_PAGE_SIZE = 20;

const MEDIA_TYPES: readonly string[] = ['movie', 'show'];
const MATCH_STATES: readonly string[] = ['matched', 'unmatched', 'ignored'];

/** A positive page number from the URL, 1 for anything else. */
export function pageOf(raw: string | undefined): number {
  const page = Number(raw);
  return Number.isInteger(page) && page > 0 ? Math.min(page, 10_000) : 1;
}

export function parseLibraryFilters(params: LibraryParams): LibraryFilters {
  const query = params.q?.trim().slice(0, 200);
  return {
    mediaType: MEDIA_TYPES.includes(params.type ?? '') ? (params.type as LibraryMediaType) : undefined,
    matchState: MATCH_STATES.includes(params.state ?? '') ? (params.state as MatchState) : undefined,
    query: query || undefined,
    page: pageOf(params.page),
  };
}

export function tabOf(params: LibraryParams): LibraryTab {
  return params.tab === 'unmatched' ? 'unmatched' : 'all';
}

/** The GET /api/v1/library query for some filters (absent filters are left out, not sent empty). */
export function toLibraryQuery(filters: LibraryFilters) {
  return {
    ...(filters.mediaType ? { mediaType: filters.mediaType } : {}),
    ...(filters.matchState ? { matchState: filters.matchState } : {}),
    ...(filters.query ? { query: filters.query } : {}),
    page: filters.page,
    pageSize: LIBRARY_PAGE_SIZE,
  };
}
