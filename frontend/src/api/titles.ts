/** The catalog's titles: a movie, a show (its seasons, your progress), a game, an episode. */
import { api, ApiError, call } from './client';
import type { CatalogDepth, MovieDetail, ShowDetail } from './types';

export const titleKeys = {
  movie: (id: string) => ['titles', 'movie', id] as const,
  show: (id: string) => ['titles', 'show', id] as const,
  season: (showId: string, season: number | string) => ['titles', 'show', showId, 'season', String(season)] as const,
  progress: (showId: string) => ['titles', 'show', showId, 'progress'] as const,
  episode: (showId: string, season: string, episode: string) => ['titles', 'show', showId, 'episode', season, episode] as const,
  game: (id: string) => ['titles', 'game', id] as const,
};

// TODO(api): drop the casts once schema.d.ts has the catalog-depth fields.
export const fetchMovie = (id: string) =>
  call(api.GET('/api/v1/movies/{movie_id}', { params: { path: { movie_id: id } } })) as Promise<MovieDetail & CatalogDepth>;
export const fetchShow = (id: string) =>
  call(api.GET('/api/v1/shows/{show_id}', { params: { path: { show_id: id } } })) as Promise<ShowDetail & CatalogDepth>;
export const fetchGame = (id: string) => call(api.GET('/api/v1/games/{game_id}', { params: { path: { game_id: id } } }));

export const fetchSeason = (showId: string, season: number | string) =>
  call(api.GET('/api/v1/shows/{show_id}/seasons/{season_number}', { params: { path: { show_id: showId, season_number: String(season) } } }));

/** Your progress through a show: per season and episode, and the next episode to watch. */
export const fetchShowProgress = (showId: string | number) =>
  call(api.GET('/api/v1/shows/{show_id}/progress', { params: { path: { show_id: String(showId) } } }));

/** One episode with its season's context (the catalog has no single-episode endpoint: it is read from the season). */
export async function fetchEpisode(showId: string, seasonNumber: string, episodeNumber: string) {
  const season = await fetchSeason(showId, seasonNumber);
  const episode = season.episodes?.find((e) => e.episodeNumber === Number(episodeNumber));
  if (!episode) throw new ApiError(404, 'not_found', `${season.showTitle} has no episode ${episodeNumber} in season ${seasonNumber}.`);
  return { season, episode };
}
