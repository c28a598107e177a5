import type { TitleLike } from './types';

/**
 * Poster URL of a title. Catalog responses carry a ready `posterUrl`; tracking
 * responses (MediaCard) only carry the stored `posterPath`, so this builds the
 * same URL the API would with the providers' default image hosts.
 * TODO(api): MediaCard should carry `posterUrl` so a configured image base applies here too.
 */
const TMDB_POSTER = 'https://image.tmdb.org/t/p/w342';
const IGDB_POSTER = 'https://images.igdb.com/igdb/image/upload/t_cover_big';

export function posterUrlOf(title: TitleLike): string | undefined {
  if (title.posterUrl) return title.posterUrl;
  const path = title.posterPath;
  if (!path) return undefined;
  if (/^https?:\/\//.test(path)) return path;
  if (title.mediaType === 'game') return `${IGDB_POSTER}/${path}.jpg`;
  return `${TMDB_POSTER}/${path.replace(/^\//, '')}`;
}
