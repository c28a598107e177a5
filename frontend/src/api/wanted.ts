/** The wanted list's API calls, typed by the generated schema. */
import { api, call } from './client';

export const WANTED_PAGE_SIZE = 20;

export interface WantedFilters {
  q: string;
  page: number;
}

/** A movie, an episode, or a whole season/show. */
export interface WantedTarget {
  mediaId: number;
  season?: number | null;
  episode?: number | null;
}

export const wantedKeys = {
  all: ['wanted'] as const,
  page: (filters: WantedFilters) => ['wanted', filters.q, filters.page] as const,
};

export const fetchWanted = (filters: WantedFilters) =>
  call(api.GET('/api/v1/wanted', { params: { query: { q: filters.q || null, page: filters.page, pageSize: WANTED_PAGE_SIZE } } }));

/** A movie, an episode, or a whole season/show (the server expands it into its aired episodes). */
export const addWanted = (target: WantedTarget) =>
  call(api.POST('/api/v1/wanted', {
    body: {
      mediaId: target.mediaId,
      ...(target.season != null ? { season: target.season } : {}),
      ...(target.season != null && target.episode != null ? { episode: target.episode } : {}),
    },
  }));

export const removeWanted = (id: string) =>
  call(api.DELETE('/api/v1/wanted/{wanted_id}', { params: { path: { wanted_id: id } } }));

/** "Get new episodes automatically" for a show. */
export const setAutoGet = (mediaId: number, autoGet: boolean) =>
  call(api.PUT('/api/v1/wanted/monitor/{media_id}', { params: { path: { media_id: String(mediaId) } }, body: { autoGet } }));
