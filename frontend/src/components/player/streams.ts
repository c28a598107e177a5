/** From the API's stream answers to what the player plays: the mode this browser needs, and the common shape. */
import { ApiError } from '../../api/client';
import { episodeCode } from '../library/labels';
import { fetchDownloadStream, fetchStream, type DownloadStream, type LibraryStream, type PlayerStream } from './api';
import { betterMode, browserDecoder, type AskMode, type Decoder } from './capability';

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

export function fromLibrary(stream: LibraryStream): PlayerStream {
  return {
    url: stream.url ?? '',
    mode: stream.mode ?? 'direct',
    mimeType: stream.mimeType,
    subtitles: stream.subtitles ?? [],
    resume: stream.resume?.positionSeconds,
    next: stream.next,
  };
}

/** The file index of a download's next file. */
export const nextIndex = (stream: DownloadStream) => stream.next?.index;

const baseName = (path: string) => path.split('/').filter(Boolean).at(-1) ?? path;

export function fromDownload(stream: DownloadStream): PlayerStream {
  const next = stream.next;
  return {
    url: stream.url,
    mode: stream.mode,
    mimeType: stream.mimeType,
    subtitles: stream.subtitles ?? [],
    next: next && { season: next.season, episode: next.episode, title: baseName(next.path) },
  };
}

/** "S01E02 · name.mkv", or the file name alone. */
export function fileLabel(file: { path: string; season?: number | null; episode?: number | null }): string {
  const code = file.season != null && file.episode != null ? episodeCode(file.season, file.episode) : undefined;
  return [code, baseName(file.path)].filter(Boolean).join(' · ');
}

export const isNotReady = (error: unknown) => error instanceof ApiError && error.status === 409 && error.code === 'not_ready';

/** Seconds the server asked to wait before the next try (the envelope's retryAfter, or the header), 1 by default. */
export function retryAfterSeconds(error: ApiError): number {
  const body = error.body as { error?: { retryAfter?: unknown } } | undefined;
  const hinted = Number(body?.error?.retryAfter ?? error.retryAfter);
  return Number.isFinite(hinted) && hinted > 0 ? Math.min(hinted, 10) : 1;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * A download's stream, waiting out "not ready" answers (the first pieces are
 * not on disk yet, or the worker is restarting) for up to `patienceMs`: what a
 * player asks for when its URL stopped working mid-playback.
 */
export async function downloadStreamWhenReady(jobId: string, file: number | undefined, patienceMs = 60_000): Promise<DownloadStream> {
  const until = Date.now() + patienceMs;
  for (;;) {
    try {
      return await fetchDownloadStream(jobId, file);
    } catch (error) {
      if (!isNotReady(error) || Date.now() >= until) throw error;
      await sleep(retryAfterSeconds(error as ApiError) * 1000);
    }
  }
}
