/** What you watched and play: watch history entries (a movie, an episode, a season) and the games backlog. */
import { api, ApiError, call } from './client';
import type { BacklogEntry, BacklogInput } from './types';
import { fetchShowProgress } from './titles';

export const trackingKeys = {
  plays: (mediaId: number, episodeId?: number | null) => ['tracking', 'plays', mediaId, episodeId ?? null] as const,
  backlog: (mediaId: number) => ['tracking', 'backlog', mediaId] as const,
};

export interface WatchTarget {
  mediaId: number;
  episodeId?: number;
}

/** How many times you watched a movie (its history entries) or one episode (from its show's progress). */
export async function fetchPlays(mediaId: number, episodeId?: number | null): Promise<number> {
  if (episodeId == null) return (await call(api.GET('/api/v1/watched', { params: { query: { mediaId, pageSize: 1 } } }))).total;
  const progress = await fetchShowProgress(mediaId);
  const found = progress.seasons.flatMap((season) => season.episodes).find((episode) => episode.id === episodeId);
  return found?.plays ?? 0;
}

export const markWatched = (target: WatchTarget) => call(api.POST('/api/v1/watched', { body: target }));
export const markSeasonWatched = (mediaId: number, seasonNumber: number) =>
  call(api.POST('/api/v1/watched/bulk', { body: { mediaId, seasonNumber } }));

/** Removes the latest watch, or all of them (of a title, an episode or a season). */
export const unmarkWatched = (
  query: { mediaId: number; episodeId?: number; seasonNumber?: number },
  scope: 'latest' | 'all',
) => call(api.DELETE('/api/v1/watched', { params: { query: { ...query, scope } } }));

const backlogPath = (mediaId: number) => ({ params: { path: { media_id: String(mediaId) } } });

/** Your backlog entry for a game; null when the game is not on it. */
export async function fetchBacklogEntry(mediaId: number): Promise<BacklogEntry | null> {
  try {
    return await call(api.GET('/api/v1/games/backlog/{media_id}', backlogPath(mediaId)));
  } catch (error) {
    if (error instanceof ApiError && error.status === 404) return null;
    throw error;
  }
}

export const putBacklogEntry = (mediaId: number, body: BacklogInput) =>
  call(api.PUT('/api/v1/games/backlog/{media_id}', { ...backlogPath(mediaId), body }));
export const deleteBacklogEntry = (mediaId: number) => call(api.DELETE('/api/v1/games/backlog/{media_id}', backlogPath(mediaId)));
