/** The player's API calls, typed by the generated schema (issue 20's additions by hand until it is regenerated). */
import { api, call } from '../../api/client';
import type { components } from '../../api/schema';
import type { AskMode, Codecs, LibraryMode } from './capability';
import type { ProgressSample } from './progress';

export type StreamResponse = components['schemas']['StreamResponse'];
export type UserSettings = components['schemas']['UserSettings'];
export type Subtitle = NonNullable<StreamResponse['subtitles']>[number];
export type PlayMode = LibraryMode | 'progressive' | 'stored';

/** A library file's stream: `mode` and `codecs`, and for hls whether the playlist exists yet (`url` is null until then). */
export type LibraryStream = Omit<StreamResponse, 'url' | 'mode' | 'codecs' | 'ready'> & {
  url: string | null;
  mode?: LibraryMode;
  codecs?: Codecs | null;
  ready?: boolean | null;
};

/** One file of a download's payload (a season pack has many). */
export interface PackFile {
  index: number;
  path: string;
  size: number;
  season?: number | null;
  episode?: number | null;
  /** In the bucket already. */
  stored?: boolean;
}

/** A file of a download: served by the worker while downloading (progressive), from the bucket once stored. */
export interface DownloadStream {
  url: string;
  mode: 'progressive' | 'stored';
  mimeType: string;
  fileIndex: number;
  path: string;
  size: number;
  files: PackFile[];
  /** The next episode's file in the same download (`index`; `fileIndex` in the first draft of the contract). */
  next: (Partial<PackFile> & { path: string; fileIndex?: number }) | null;
  subtitles: Subtitle[];
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
}

// The routes issue 20 adds, called through the same client until schema.d.ts knows them.
type LooseGet = (path: string, init: { params: { path: Record<string, string>; query?: Record<string, string | number> } }) => Promise<{ data?: unknown; error?: unknown; response: Response }>;
const looseGet = api.GET as unknown as LooseGet;

export const fetchStream = (itemId: string, mode?: AskMode) =>
  call(looseGet('/api/v1/library/{item_id}/stream', { params: { path: { item_id: itemId }, ...(mode ? { query: { mode } } : {}) } })) as Promise<LibraryStream>;

export const fetchDownloadStream = (jobId: string, file?: number) =>
  call(looseGet('/api/v1/downloads/{job_id}/stream', { params: { path: { job_id: jobId }, ...(file != null ? { query: { file } } : {}) } })) as Promise<DownloadStream>;

export const fetchSettings = () => call(api.GET('/api/v1/settings'));

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
