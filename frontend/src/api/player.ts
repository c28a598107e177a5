/** The player's API calls (streams, progress, what a download's file is), typed by the generated schema. */
import type { AskMode, LibraryMode } from '../components/player/capability';
import type { ProgressSample } from '../components/player/progress';
import type { SkipSegmentInfo } from '../components/player/segments';
import { api, ApiError, call } from './client';
import type { components } from './schema';

export type StreamResponse = components['schemas']['StreamResponse'];
export type UserSettings = components['schemas']['UserSettings'];
export type Subtitle = NonNullable<StreamResponse['subtitles']>[number];
export type PlayMode = LibraryMode | 'progressive' | 'stored';

/**
 * A library file's stream: `mode` and `codecs`, for hls whether the playlist exists yet (`url` is null until
 * then), and `notice`: a plain sentence about what is happening (which part is converted, a step that failed).
 */
export type LibraryStream = StreamResponse;

/** A file of a download: served by the worker while downloading (progressive), from the bucket once stored. */
export type DownloadStream = components['schemas']['DownloadStream'];
/** The stream endpoint's 202: not playable yet (what is awaited), ask again after `retryAfter` seconds. */
export type StreamWaiting = components['schemas']['StreamWaiting'];
export type DownloadAnswer = DownloadStream | StreamWaiting;

/** What the "Playback info" panel tells about the file, beyond what the <video> element reports. */
export interface StreamFacts {
  container?: string | null;
  videoCodec?: string | null;
  audioCodecs?: readonly string[] | null;
  sizeBytes?: number | null;
  durationSeconds?: number | null;
}

/** What the end-of-file card shows about the next one. */
export interface UpNextInfo {
  season?: number | null;
  episode?: number | null;
  title?: string | null;
}

/** What the player needs, whatever the source. */
export interface PlayerStream {
  url: string;
  mode: PlayMode;
  mimeType?: string;
  subtitles: Subtitle[];
  /** Where to start, in seconds (the saved position). */
  resume?: number | null;
  next?: UpNextInfo | null;
  facts?: StreamFacts;
  /** Intro and credits the viewer may skip (library files, once the worker found them). */
  segments?: SkipSegmentInfo[];
  /** Scrub previews: a WebVTT thumbnails track for the seek bar. */
  trickplay?: { vttUrl: string } | null;
  /** The library item played (its tracks can be auto-synced and offset); absent for a download's file. */
  itemId?: string;
}

export const playerKeys = {
  /** A library file and its stream, loaded together. */
  watch: (itemId: string) => ['player', 'watch', itemId] as const,
  /** A download's stream answer for one of its files (undefined: the server's default file). */
  downloadStream: (jobId: string, file: number | undefined) => ['player', 'download-stream', jobId, file ?? null] as const,
  /** The download job the player streams from (its live progress). */
  job: (jobId: string) => ['player', 'job', jobId] as const,
  /** What a download's file stands for (its link to a title, as text). */
  playing: (link: string) => ['player', 'playing', link] as const,
  settings: ['player', 'settings'] as const,
  /** The playback session of a library file's page. */
  librarySession: (itemId: string) => ['player', 'library-session', itemId] as const,
  /** The playback session of a download's page (opened for it, or carried over by a switch). */
  session: (jobId: string, given: string | null) => ['player', 'session', jobId, given] as const,
};

/** Times a library stream is asked again after a 429 before the player shows the error. */
export const BUSY_TRIES = 4;

/**
 * A 429 from a stream endpoint: the account's players ask for streams faster than the API lets one person
 * (many tabs polling a file that cannot play yet) or the account has too many requests running. A player
 * waits out its Retry-After and asks again rather than stopping with an error.
 */
const isBusy = (error: unknown): error is ApiError => error instanceof ApiError && error.status === 429;

const busyWait = (error: ApiError) => new Promise((resolve) => setTimeout(resolve, Math.max(1, error.retryAfter ?? 1) * 1000));

async function afterBusy<T>(ask: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await ask();
    } catch (error) {
      if (!isBusy(error) || attempt >= BUSY_TRIES) throw error;
      await busyWait(error);
    }
  }
}

export const fetchStream = (itemId: string, mode?: AskMode) =>
  afterBusy(() => call(api.GET('/api/v1/library/{item_id}/stream', { params: { path: { item_id: itemId }, ...(mode ? { query: { mode } } : {}) } })));

/** A download's stream, or its 202 "not yet"; a 429 is a "not yet" too (asked again after its Retry-After). */
export async function fetchDownloadStream(jobId: string, file?: number): Promise<DownloadAnswer> {
  try {
    return await call(api.GET('/api/v1/downloads/{job_id}/stream', { params: { path: { job_id: jobId }, ...(file != null ? { query: { file } } : {}) } }));
  } catch (error) {
    if (!isBusy(error)) throw error;
    return { awaiting: 'pieces', message: error.message, retryAfter: Math.max(1, error.retryAfter ?? 1) };
  }
}

/** The download a progressive stream comes from: its progress shows under the spinner and on the badge. */
export const fetchDownloadJob = (jobId: string) =>
  call(api.GET('/api/v1/downloads/{job_id}', { params: { path: { job_id: jobId } } }));

const fetchSettings = () => call(api.GET('/api/v1/settings'));

/** Preferences are a nicety in the player: if they don't load, it plays with the defaults. */
export const fetchPlayerSettings = (): Promise<Partial<UserSettings>> => fetchSettings().catch(() => ({}));

/** The viewer's subtitle languages in order (the list when set, else the single one), null for off. */
export const subtitleLanguages = (settings: Partial<UserSettings> | undefined): readonly string[] | string | null =>
  settings?.subtitleLanguages?.length ? settings.subtitleLanguages : (settings?.subtitleLanguage ?? null);

/** A movie, for the heading of a download's file linked to it. */
export const fetchMovie = (movieId: number) =>
  call(api.GET('/api/v1/movies/{movie_id}', { params: { path: { movie_id: String(movieId) } } }));

/** A season's episodes with the show's title: which episode a pack's file is, and what it is called. */
export const fetchSeason = (showId: number, season: number) =>
  call(api.GET('/api/v1/shows/{show_id}/seasons/{season_number}', { params: { path: { show_id: String(showId), season_number: String(season) } } }));

export interface ProgressTarget {
  mediaId: number;
  episodeId?: number | null;
}

/** One heartbeat; `keepalive` lets it finish after the page is gone (tab closed, navigated away). */
export function sendProgress(target: ProgressTarget, sample: ProgressSample, keepalive: boolean) {
  const body = {
    mediaId: target.mediaId,
    ...(target.episodeId != null ? { episodeId: target.episodeId } : {}),
    positionSeconds: Math.round(sample.positionSeconds * 10) / 10,
    durationSeconds: Math.round(sample.durationSeconds * 10) / 10,
  };
  return call(api.POST('/api/v1/progress', { body, keepalive }));
}

/** A playback session: what plays (its pick and file) for this device, switched to the next release when a stream stalls. */
export type PlaybackSession = components['schemas']['PlaybackSession'];
export type SessionRequest = components['schemas']['SessionRequestInput'];
export type SessionSwitch = components['schemas']['SessionSwitch'];

/** What the player says about itself, for the session's heartbeats. */
export interface PlayerStatus {
  positionSeconds: number;
  /** Waiting for data while meant to play (not paused). */
  buffering: boolean;
  playing: boolean;
}

export const startPlaybackSession = (body: SessionRequest) => call(api.POST('/api/v1/playback/sessions', { body }));

export const fetchPlaybackSession = (sessionId: string) =>
  call(api.GET('/api/v1/playback/sessions/{session_id}', { params: { path: { session_id: sessionId } } }));

/** One session heartbeat; the answer is the session, on another download when it switched. */
export const sendSessionBeat = (sessionId: string, beat: { positionSeconds: number; buffering: boolean; fileIndex?: number | null }) =>
  call(api.POST('/api/v1/playback/sessions/{session_id}/heartbeat', {
    params: { path: { session_id: sessionId } },
    body: { positionSeconds: Math.round(beat.positionSeconds * 10) / 10, buffering: beat.buffering, ...(beat.fileIndex != null ? { fileIndex: beat.fileIndex } : {}) },
  }));

/** Ask the worker to line a library file's subtitle track up with its audio (202: queued). */
export const requestSubtitleSync = (itemId: string, trackId: string) =>
  call(api.POST('/api/v1/library/{item_id}/subtitles/{track_id}/sync', { params: { path: { item_id: itemId, track_id: trackId } } }));

/** The viewer's own offset for a track, in seconds (−60…60, 0.1 steps). */
export const saveSubtitleOffset = (itemId: string, trackId: string, seconds: number) =>
  call(api.PUT('/api/v1/library/{item_id}/subtitles/{track_id}/offset', {
    params: { path: { item_id: itemId, track_id: trackId } },
    body: { seconds },
  }));

/** Each track's auto-sync now (the item's subtitle list), by track id. */
export async function fetchSubtitleSyncs(itemId: string): Promise<Record<string, Subtitle['sync']>> {
  const item = await call(api.GET('/api/v1/library/{item_id}', { params: { path: { item_id: itemId } } }));
  return Object.fromEntries((item.subtitles ?? []).map((track) => [track.id, track.sync ?? null]));
}
