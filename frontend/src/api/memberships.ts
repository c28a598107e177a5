/** The viewer's lists of titles: watch later (in their order) and favorites. */
import { fetchAllPages } from './allPages';
import { api, call } from './client';

const idPath = (mediaId: number) => ({ params: { path: { media_id: String(mediaId) } } });

export const membershipKeys = {
  watchLater: ['watch-later'] as const,
};

/** The whole watch later queue, in its order. */
export const fetchWatchLater = () =>
  fetchAllPages((page, pageSize) => call(api.GET('/api/v1/watch-later', { params: { query: { page, pageSize } } })));

export const addToWatchLater = (mediaId: number) => call(api.PUT('/api/v1/watch-later/{media_id}', idPath(mediaId)));
export const removeFromWatchLater = (mediaId: number) => call(api.DELETE('/api/v1/watch-later/{media_id}', idPath(mediaId)));

export const reorderWatchLater = (mediaIds: number[]) => call(api.PUT('/api/v1/watch-later/order', { body: { mediaIds } }));

export const fetchFavorites = () =>
  fetchAllPages((page, pageSize) => call(api.GET('/api/v1/favorites', { params: { query: { page, pageSize } } })));

export const addToFavorites = (mediaId: number) => call(api.PUT('/api/v1/favorites/{media_id}', idPath(mediaId)));
export const removeFromFavorites = (mediaId: number) => call(api.DELETE('/api/v1/favorites/{media_id}', idPath(mediaId)));
