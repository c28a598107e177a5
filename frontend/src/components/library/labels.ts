/** How library items are named and described on cards, in the queue and in the player. */
import type { components } from '../../api/schema';

type S = components['schemas'];
export type LibraryCard = S['LibraryCard'];
export type LibraryTitleCard = S['LibraryTitleCard'];
export type LibraryVersion = S['LibraryVersion'];
export type TitleVersions = S['TitleVersions'];
export type UnmatchedCard = S['UnmatchedCard'];
export type LibraryItemDetail = S['LibraryItemDetail'];
export type Candidate = S['Candidate'];
export type MatchState = LibraryCard['matchState'];

/** The fields every library shape (card, queue entry, detail) shares. */
export type LibraryItemLike = Pick<
  LibraryCard,
  'id' | 'title' | 'year' | 'episode' | 'media' | 'matchState' | 'container' | 'videoCodec' | 'hasMp4Variant'
> & { mediaType?: string | null; posterUrl?: string | null };

const pad = (n: number) => String(n).padStart(2, '0');

/** 1, 2 -> "S01E02". */
export function episodeCode(season: number, episode: number): string {
  return `S${pad(season)}E${pad(episode)}`;
}

/** A movie's title, or "Show · S01E02 · Episode title" (the card's accessible name). */
export function itemTitle(item: Pick<LibraryItemLike, 'title' | 'episode'>): string {
  const ep = item.episode;
  if (!ep) return item.title;
  const parts = [item.title, episodeCode(ep.season, ep.episode)];
  if (ep.title) parts.push(ep.title);
  return parts.join(' · ');
}

/** The line under a card's title: the year (movies) or the episode code (episodes). */
export function itemSubtitle(item: Pick<LibraryItemLike, 'year' | 'episode'>): string | undefined {
  if (item.episode) return episodeCode(item.episode.season, item.episode.episode);
  return item.year ? String(item.year) : undefined;
}

export const MATCH_LABELS: Record<MatchState, string> = {
  matched: 'Matched',
  unmatched: 'Unmatched',
  ignored: 'Ignored',
};

const BROWSER_CONTAINERS = new Set(['mp4', 'webm', 'ogg']);
const BROWSER_VIDEO = new Set(['h264', 'vp8', 'vp9', 'av1']);

/**
 * Whether a browser can likely play the file, from what the list carries (the
 * stream endpoint has the final word, audio codecs included): an MP4 variant,
 * or a browser container with a browser video codec (or one not probed yet).
 */
export function looksPlayable(item: Pick<LibraryItemLike, 'container' | 'videoCodec' | 'hasMp4Variant'>): boolean {
  if (item.hasMp4Variant) return true;
  if (!item.container || !BROWSER_CONTAINERS.has(item.container)) return false;
  return !item.videoCodec || BROWSER_VIDEO.has(item.videoCodec);
}

/** Whether Play can start a card's file: the server's play mode when it sent one, else a guess from the list. */
export function canPlay(item: Pick<LibraryItemLike, 'container' | 'videoCodec' | 'hasMp4Variant'> & { playMode?: string | null }): boolean {
  if (item.playMode) return item.playMode !== 'damaged';
  return looksPlayable(item);
}

const CODECS: Record<string, string> = {
  h264: 'H.264', hevc: 'HEVC', h265: 'HEVC', av1: 'AV1', vp8: 'VP8', vp9: 'VP9', mpeg2video: 'MPEG-2', mpeg4: 'MPEG-4',
  aac: 'AAC', mp3: 'MP3', opus: 'Opus', vorbis: 'Vorbis', flac: 'FLAC', ac3: 'AC3', eac3: 'E-AC3', truehd: 'TrueHD', dts: 'DTS',
};

/** "hevc" -> "HEVC", "pcm_s16le" -> "PCM". */
export function codecLabel(codec: string): string {
  if (codec.startsWith('pcm_')) return 'PCM';
  return CODECS[codec] ?? codec.toUpperCase();
}

/** A version's quality in a few words: "1080p BluRay", "720p", or "Unknown quality". */
export function versionQuality(version: Pick<LibraryVersion, 'resolution' | 'source'>): string {
  return [version.resolution, version.source].filter(Boolean).join(' ') || 'Unknown quality';
}

/** "H.264 · AAC, DTS" (video, then the audio tracks), or undefined when not probed. */
export function versionCodecs(version: Pick<LibraryVersion, 'videoCodec' | 'audioCodecs'>): string | undefined {
  const audio = [...new Set((version.audioCodecs ?? []).map(codecLabel))].join(', ');
  const parts = [version.videoCodec ? codecLabel(version.videoCodec) : undefined, audio || undefined].filter(Boolean);
  return parts.length ? parts.join(' · ') : undefined;
}

/** 2530 -> "42:10", 4330 -> "1:12:10" (a player's clock). */
export function formatClock(seconds: number): string {
  const total = Math.max(0, Math.floor(seconds));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  return h > 0 ? `${h}:${pad(m)}:${pad(s)}` : `${m}:${pad(s)}`;
}

/** 0.82 -> "82%". */
export function formatConfidence(confidence: number | null | undefined): string {
  if (confidence == null || !Number.isFinite(confidence)) return '—';
  return `${Math.round(confidence * 100)}%`;
}

/** A poster-ready shape for the shared Poster component. */
export function posterTitle(item: LibraryItemLike) {
  return {
    id: item.media?.id ?? 0,
    mediaType: (item.mediaType === 'show' || item.media?.mediaType === 'show' ? 'show' : 'movie') as 'movie' | 'show',
    title: item.title,
    posterUrl: item.posterUrl ?? item.media?.posterUrl ?? null,
  };
}

export const watchHref = (id: string) => `/app/watch/${id}`;
