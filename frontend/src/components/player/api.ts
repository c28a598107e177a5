/** The player's API calls, typed by the generated schema. */
import { api, call } from '../../api/client';
import type { components } from '../../api/schema';
import type { AskMode, LibraryMode } from './capability';
import type { ProgressSample } from './progress';

export type StreamResponse = components['schemas']['StreamResponse'];
export type UserSettings = components['schemas']['UserSettings'];
export type Subtitle = NonNullable<StreamResponse['subtitles']>[number];
export type PlayMode = LibraryMode | 'progressive' | 'stored';

/** A library file's stream: `mode` and `codecs`, and for hls whether the playlist exists yet (`url` is null until then). */
export type LibraryStream = StreamResponse;

/** A file of a download: served by the worker while downloading (progressive), from the bucket once stored. */
export type DownloadStream = components['schemas']['DownloadStream'];

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
}

export const fetchStream = (itemId: string, mode?: AskMode) =>
  call(api.GET('/api/v1/library/{item_id}/stream', { params: { path: { item_id: itemId }, ...(mode ? { query: { mode } } : {}) } }));

export const fetchDownloadStream = (jobId: string, file?: number) =>
  call(api.GET('/api/v1/downloads/{job_id}/stream', { params: { path: { job_id: jobId }, ...(file != null ? { query: { file } } : {}) } }));

export const fetchSettings = () => call(api.GET('/api/v1/settings'));

/** The viewer's subtitle languages in order (the list when set, else the single one), null for off. */
export const subtitleLanguages = (settings: Partial<UserSettings> | undefined): readonly string[] | string | null =>
  settings?.subtitleLanguages?.length ? settings.subtitleLanguages : (settings?.subtitleLanguage ?? null);

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
