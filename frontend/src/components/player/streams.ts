/** From the API's stream answers to what the player plays: the mode this browser needs, and the common shape. */
import { fetchDownloadStream, fetchStream, type DownloadAnswer, type DownloadStream, type LibraryStream, type PlayerStream, type StreamWaiting } from '../../api/player';
import { betterMode, browserDecoder, type AskMode, type Decoder } from './capability';
import { baseName } from './heading';

/**
 * A library file's stream in a mode this browser decodes: the server's choice,
 * or (when its codecs say that would not play here) the same file asked for
 * again as remux, hls_audio or hls. `asked` is what to ask next time (polling
 * an HLS version, a fresh link) so the answer stays the same variant.
 */
export async function playableStream(itemId: string, mode?: AskMode, decoder: Decoder = browserDecoder()): Promise<{ stream: LibraryStream; asked?: AskMode }> {
  if (mode) return { stream: await fetchStream(itemId, mode), asked: mode };
  const first = await fetchStream(itemId);
  const better = betterMode(first.mode, first.codecs, decoder);
  return better ? { stream: await fetchStream(itemId, better), asked: better } : { stream: first };
}

/** A version (remux or HLS) the worker has not made yet (no URL until then): poll until it has. */
export const isPreparing = (stream: LibraryStream) => stream.ready === false;

/**
 * What the player says while a version is prepared: its place in line when it waits for one of the
 * worker's converter slots (shared by the household, fairly), else that the worker is making it.
 */
export function preparingText(stream: LibraryStream): { label: string; detail: string } {
  const preparing = stream.preparing;
  if (preparing?.state === 'queued') {
    const ahead = (preparing.position ?? 1) - 1;
    return {
      label: preparing.position == null ? 'Waiting for a free converter…' : ahead === 0 ? "You're next in line to be converted…" : `${ahead} ahead of you in line to be converted…`,
      detail: 'Other videos are being converted right now; yours starts as soon as one is done.',
    };
  }
  return {
    label: 'Preparing a version your browser can play…',
    detail: stream.mode === 'hls' ? 'It starts as soon as the first seconds are converted.' : 'It starts when the MP4 copy is ready.',
  };
}

/** The way down when a mode fails in the browser: the file as it is, repackaged, audio converted, all converted. */
export const FALLBACK_CHAIN: readonly AskMode[] = ['direct', 'remux', 'hls_audio', 'hls'];

/** The mode a stream answer is in, as the player asks for it (an hls answer may be the audio-only conversion). */
export function askModeOf(stream: Pick<LibraryStream, 'mode' | 'kind'>): AskMode {
  if (stream.kind === 'hls_audio') return 'hls_audio';
  return stream.mode ?? 'direct';
}

/** The next mode to try after `failed` did not play, or undefined when the last one failed. */
export function nextMode(failed: AskMode): AskMode | undefined {
  return FALLBACK_CHAIN[FALLBACK_CHAIN.indexOf(failed) + 1];
}

/** What the player says while it moves on from a mode that did not play to `next`. */
export function fallbackNotice(next: AskMode): string {
  if (next === 'remux') return "This file can't play directly in your browser; repackaging it — this takes a few seconds.";
  if (next === 'hls_audio') return "This file's sound can't play in your browser; converting the audio — this takes about a minute.";
  return "This file can't play directly in your browser; converting it — this takes about a minute.";
}

/** When even the converted version failed in the browser (the server's media_unplayable says so too). */
export const UNPLAYABLE_NEXT_STEP = 'Try another version of this title from its page, or get a different release.';

export function fromLibrary(stream: LibraryStream, file?: { id?: string; sizeBytes?: number | null; durationSeconds?: number | null }): PlayerStream {
  return {
    ...(file?.id ? { itemId: file.id } : {}),
    url: stream.url ?? '',
    mode: stream.mode ?? 'direct',
    mimeType: stream.mimeType,
    subtitles: stream.subtitles ?? [],
    resume: stream.resume?.positionSeconds,
    next: stream.next,
    segments: stream.segments ?? [],
    trickplay: stream.trickplay ?? null,
    facts: {
      container: stream.codecs?.container,
      videoCodec: stream.codecs?.video,
      audioCodecs: stream.codecs?.audio,
      sizeBytes: file?.sizeBytes,
      durationSeconds: file?.durationSeconds,
    },
  };
}

/** The file index of a download's next file. */
export const nextIndex = (stream: DownloadStream) => stream.next?.index;

export function fromDownload(stream: DownloadStream): PlayerStream {
  const next = stream.next;
  return {
    url: stream.url,
    mode: stream.mode,
    mimeType: stream.mimeType,
    // A download's tracks are the subtitle files next to the video (the menu groups tracks by source).
    subtitles: (stream.subtitles ?? []).map((track) => ({ source: 'sidecar', ...track })),
    // The next episode by its code; a file's name only when nothing else names it.
    next: next && { season: next.season, episode: next.episode, title: next.season != null && next.episode != null ? null : baseName(next.path) },
    facts: { container: containerOf(stream.path), sizeBytes: stream.size },
  };
}

/** "Film.2024.mkv" -> "mkv": the container a download's file is in, by its name. */
const containerOf = (path: string) => /\.([a-z0-9]{2,4})$/i.exec(path)?.[1]?.toLowerCase() ?? null;


/** The stream endpoint's 202: the file cannot play yet (files not listed, download not running, pieces missing). */
export const isWaiting = (answer: DownloadAnswer | undefined): answer is StreamWaiting => answer !== undefined && 'awaiting' in answer;

/** The longest pause between two asks while the same answer keeps saying "wait". */
export const MAX_POLL_MS = 8000;

/**
 * How long to wait before asking again: the server's Retry-After (never sooner), stretched by half for every
 * five answers in a row that still said wait (a download that found no peers), up to MAX_POLL_MS.
 */
export function pollDelay(retryAfterSeconds: number, waitsInARow: number): number {
  const asked = Math.max(1, Number.isFinite(retryAfterSeconds) ? retryAfterSeconds : 1) * 1000;
  const stretched = asked * 1.5 ** Math.floor(Math.max(0, waitsInARow) / 5);
  return Math.max(asked, Math.min(stretched, MAX_POLL_MS));
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * A download's stream, waiting out "not yet" answers (the first pieces are
 * not on disk yet, or the worker is restarting) for up to `patienceMs`: what a
 * player asks for when its URL stopped working mid-playback.
 */
export async function downloadStreamWhenReady(jobId: string, file: number | undefined, patienceMs = 60_000): Promise<DownloadStream> {
  const until = Date.now() + patienceMs;
  for (let waits = 0; ; waits += 1) {
    const answer = await fetchDownloadStream(jobId, file);
    if (!isWaiting(answer)) return answer;
    if (Date.now() >= until) throw new Error(answer.message);
    await sleep(pollDelay(answer.retryAfter, waits));
  }
}
