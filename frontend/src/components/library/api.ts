/** The library's API calls, typed by the generated schema. */
import { api, call } from '../../api/client';
import { QUEUE_PAGE_SIZE, toLibraryQuery, type LibraryFilters } from './filters';

export interface MatchChoice {
  mediaId: number;
  episodeId?: number | null;
  /** What the person picked, for messages ("Matched to Heat"). */
  title: string;
}

export const fetchLibrary = (filters: LibraryFilters) =>
  call(api.GET('/api/v1/library', { params: { query: toLibraryQuery(filters) } }));

export const fetchUnmatched = (page: number) =>
  call(api.GET('/api/v1/library/unmatched', { params: { query: { page, pageSize: QUEUE_PAGE_SIZE } } }));

export const fetchItem = (itemId: string) =>
  call(api.GET('/api/v1/library/{item_id}', { params: { path: { item_id: itemId } } }));

/** The match body: the episode only when known, `force` only when overriding the parse. */
export function matchBody(choice: MatchChoice, force: boolean) {
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

export const resetMatch = (itemId: string) =>
  call(api.DELETE('/api/v1/library/{item_id}/match', { params: { path: { item_id: itemId } } }));

export const requestRescan = () => call(api.POST('/api/v1/library/rescan', { body: {} }));

export const fetchScan = (scanId: string) =>
  call(api.GET('/api/v1/library/scans/{scan_id}', { params: { path: { scan_id: scanId } } }));

/** Movies and shows only: games cannot be matched to a video file. */
export async function suggestTitles(q: string) {
  const hits = await call(api.GET('/api/v1/search/suggest', { params: { query: { q } } }));
  return hits.filter((hit) => hit.mediaType !== 'game');
}
