/** Your ratings of titles, 1-10 (the control shows five stars with halves). */
import { api, call } from './client';

export const ratingKeys = {
  mine: (mediaId: number) => ['ratings', mediaId] as const,
};

const path = (mediaId: number) => ({ params: { path: { media_id: String(mediaId) } } });

/** Your rating of a title; null when you have not rated it. */
export const fetchMyRating = async (mediaId: number): Promise<number | null> =>
  (await call(api.GET('/api/v1/ratings/{media_id}', path(mediaId)))).rating ?? null;

export const rate = (mediaId: number, rating: number) => call(api.PUT('/api/v1/ratings/{media_id}', { ...path(mediaId), body: { rating } }));
export const unrate = (mediaId: number) => call(api.DELETE('/api/v1/ratings/{media_id}', path(mediaId)));
