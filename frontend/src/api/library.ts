/** The library's API calls, typed by the generated schema, and the keys their queries are cached under. */
import { QUEUE_PAGE_SIZE, toLibraryQuery, type LibraryFilters } from '../components/library/filters';
import { api, call } from './client';

export interface MatchChoice {
  mediaId: number;
  episodeId?: number | null;
  /** What the person picked, for messages ("Matched to Heat"). */
  title: string;
}

export interface VersionsTarget {
  mediaId: number;
  episodeId?: number | null;
}

export const libraryKeys = {
  all: ['library'] as const,
  titles: (filters: LibraryFilters) => ['library', 'titles', filters] as const,
  unmatched: (page: number) => ['library', 'unmatched', page] as const,
  item: (itemId: string) => ['library', 'item', itemId] as const,
  versions: (target: VersionsTarget) => ['library', 'versions', target.mediaId, target.episodeId ?? null] as const,
  scan: (scanId: string) => ['library', 'scan', scanId] as const,
  suggest: (q: string) => ['library', 'suggest', q] as const,
};

/** One card per title: a title's files are its versions, best first. */
export const fetchTitles = (filters: LibraryFilters) =>
  call(api.GET('/api/v1/library/titles', { params: { query: toLibraryQuery(filters) } }));

/** What a movie, show or episode page can play, best version first, and the resume point. */
export const fetchVersions = (target: VersionsTarget) =>
  call(api.GET('/api/v1/library/versions', {
    params: { query: { mediaId: target.mediaId, ...(target.episodeId != null ? { episodeId: target.episodeId } : {}) } },
  }));

export const fetchUnmatched = (page: number) =>
  call(api.GET('/api/v1/library/unmatched', { params: { query: { page, pageSize: QUEUE_PAGE_SIZE } } }));

export const fetchItem = (itemId: string) =>
  call(api.GET('/api/v1/library/{item_id}', { params: { path: { item_id: itemId } } }));

/** The match body: the episode only when known, `force` only when overriding the parse. */
function matchBody(choice: MatchChoice, force: boolean) {
  return {
    mediaId: choice.mediaId,
    ...(choice.episodeId != null ? { episodeId: choice.episodeId } : {}),
    ...(force ? { force: true } : {}),
  };
}

export const postMatch = (itemId: string, choice: MatchChoice, force: boolean) =>
  call(api.POST('/api/v1/library/{item_id}/match', { params: { path: { item_id: itemId } }, body: matchBody(choice, force) }));

export const postIgnore = (itemId: string) =>
  call(api.POST('/api/v1/library/{item_id}/ignore', { params: { path: { item_id: itemId } } }));

export const requestRescan = () => call(api.POST('/api/v1/library/rescan', { body: {} }));

export const fetchScan = (scanId: string) =>
  call(api.GET('/api/v1/library/scans/{scan_id}', { params: { path: { scan_id: scanId } } }));

/** Movies and shows only: games cannot be matched to a video file. */
export async function suggestTitles(q: string) {
  const hits = await call(api.GET('/api/v1/search/suggest', { params: { query: { q } } }));
  return hits.filter((hit) => hit.mediaType !== 'game');
}
