/**
 * How a download reads on screen: what it is of (the catalog title, not the release file name), its
 * quality, and its errors and timeline in words. The one label map for download codes.
 */
import type { Download, DownloadStatus, ReleaseParsed } from '../../api/types';
import { releaseFacts } from '../get/labels';

const pad = (n: number) => String(n).padStart(2, '0');

/** The release (file) name, or what stands in for one: a link's host, a torrent's hash. */
export function releaseName(d: Pick<Download, 'title' | 'source' | 'infoHash'>): string {
  if (d.title) return d.title;
  if (d.source && /^https?:/.test(d.source)) {
    try {
      return new URL(d.source).hostname;
    } catch {
      return d.source;
    }
  }
  return d.infoHash ? `Torrent ${d.infoHash.slice(0, 12)}…` : 'Download';
}

/** "S01E02", "Season 1" (a pack), or '' for a movie or an unlinked download. */
export function episodeLabel(d: Pick<Download, 'season' | 'episode'>): string {
  if (d.season == null) return '';
  return d.episode != null ? `S${pad(d.season)}E${pad(d.episode)}` : `Season ${d.season}`;
}

/** What the card is called: the title it is of (with the episode), else the release name. */
export function downloadTitle(d: Download): string {
  if (!d.media) return releaseName(d);
  const ep = episodeLabel(d);
  return ep ? `${d.media.title} · ${ep}` : d.media.title;
}

/** "1080p · WEB-DL · H.265 · HDR10" from the pick's parsed release; '' without one. */
export function qualityLabel(release: Download['release']): string {
  if (!release) return '';
  const parsed = release as ReleaseParsed;
  // Only the quality facts: what the release holds is said by the title line, the group is noise here.
  return releaseFacts({ ...parsed, pack: false, season: null, seasons: [], episodes: [], group: null }).join(' · ');
}

/** Why a download stopped or failed, by the code the worker or the watchdog gave. */
const ERROR_WORDS: Record<string, string> = {
  worker_lost_job: 'The worker stopped responding',
  worker_offline: 'The worker is offline',
  no_peers: 'Nobody is sharing this right now',
  no_progress: 'No data has arrived for a while',
  disk_error: "The worker couldn't write the file (is its disk full?)",
  torrent_error: 'The torrent client reported an error',
  duplicate_torrent: 'This torrent is already being downloaded',
  same_torrent: 'Waiting for another download of the same torrent to finish',
  torrent_lost: 'The torrent client dropped this download',
  staging_lost: 'A downloaded file went missing before it was stored',
  invalid_magnet: "The magnet link can't be read",
  invalid_torrent: "The .torrent file can't be read",
  torrent_missing: 'The uploaded .torrent file is gone',
  http_connect_failed: "The server can't be reached",
  http_connection_lost: 'The connection to the server was lost',
  http_timeout: 'The server stopped answering',
  http_error: 'The download from the server failed',
  http_length_mismatch: 'The server sent less than it announced',
  http_restart_loop: 'The server kept restarting the transfer',
  http_bad_redirect: 'The server sent a broken redirect',
  too_many_redirects: 'The server redirected too many times',
  retries_exhausted: 'Gave up after 3 tries',
  stream_error: "The file couldn't be streamed",
};

/** Statuses in which the job will be tried again by itself. */
const RETRYING: readonly DownloadStatus[] = ['stalled', 'retrying'];

/** A code in words: "http_404" -> "The server answered 404"; unknown codes -> undefined. */
function codeWords(code: string): string | undefined {
  if (ERROR_WORDS[code]) return ERROR_WORDS[code];
  const http = /^http_(\d{3})$/.exec(code);
  return http ? `The server answered ${http[1]}` : undefined;
}

/**
 * A job's error in words, for the card: "The worker stopped responding; retrying" while it will be tried again,
 * "Gave up after 3 tries (last: the worker stopped responding)" at the end. Falls back to the server's message
 * for a code this map does not know, and undefined when there is no error.
 */
export function errorText(d: Pick<Download, 'errorCode' | 'errorMessage' | 'status'>): string | undefined {
  if (!d.errorCode && !d.errorMessage) return undefined;
  const words = d.errorCode ? codeWords(d.errorCode) : undefined;
  if (!words) return d.errorMessage ?? 'Something went wrong';
  if (d.errorCode === 'retries_exhausted') {
    const last = /\(last: ([a-z0-9_]+)\)/.exec(d.errorMessage ?? '')?.[1];
    const lastWords = last ? codeWords(last) : undefined;
    return lastWords ? `${words} (last: ${lastWords[0]!.toLowerCase()}${lastWords.slice(1)})` : words;
  }
  return RETRYING.includes(d.status) ? `${words}; retrying` : words;
}

/** Who made a timeline entry. */
export const ACTOR_LABEL: Record<string, string> = { api: 'you', worker: 'worker', reconciler: 'automatic check' };
export const actorLabel = (actor: string) => ACTOR_LABEL[actor] ?? actor;

/**
 * A timeline entry's message in words. The watchdog writes its reasons as codes with spaces ("worker lost job",
 * "retries exhausted", "retry scheduled"); the worker and the API write sentences, kept as they are.
 */
export function timelineMessage(event: { message?: string | null; data?: Record<string, unknown> }): string | undefined {
  const message = event.message?.trim();
  if (!message) return undefined;
  const last = typeof event.data?.lastErrorCode === 'string' ? codeWords(event.data.lastErrorCode) : undefined;
  const after = last ? ` (after: ${last[0]!.toLowerCase()}${last.slice(1)})` : '';
  if (message === 'retry scheduled') return `Trying again${after}`;
  if (message === 'retries exhausted') return `${ERROR_WORDS.retries_exhausted}${after}`;
  return (/^[a-z0-9 ]+$/.test(message) && codeWords(message.replaceAll(' ', '_'))) || message;
}
