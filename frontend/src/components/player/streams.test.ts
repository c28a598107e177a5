import { afterEach, describe, expect, it, vi } from 'vitest';
import { jsonResponse, stubFetch } from '../../test/fakes';
import { askModeOf, downloadStreamWhenReady, FALLBACK_CHAIN, fallbackNotice, fromDownload, isWaiting, MAX_POLL_MS, nextMode, playableStream, pollDelay } from './streams';

afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllGlobals();
});

describe('the fallback chain', () => {
  it('moves down direct → remux → hls_audio → hls, and ends after hls', () => {
    expect(FALLBACK_CHAIN.map((mode) => nextMode(mode))).toEqual(['remux', 'hls_audio', 'hls', undefined]);
  });

  it('reads the mode an answer is in, the audio-only conversion included', () => {
    expect(askModeOf({ mode: 'hls', kind: 'hls_audio' })).toBe('hls_audio');
    expect(askModeOf({ mode: 'hls', kind: 'hls' })).toBe('hls');
    expect(askModeOf({ mode: 'remux', kind: 'mp4_remux' })).toBe('remux');
    expect(askModeOf({ mode: undefined, kind: 'original' })).toBe('direct');
  });

  it('says in words what happens next, never a pipeline error', () => {
    expect(fallbackNotice('hls')).toBe("This file can't play directly in your browser; converting it — this takes about a minute.");
    expect(fallbackNotice('remux')).toMatch(/^This file can't play directly in your browser; repackaging it/);
    expect(fallbackNotice('hls_audio')).toMatch(/sound can't play in your browser; converting the audio/);
  });
});

describe('waiting for a download', () => {
  it('honours Retry-After and backs off by half every five waits in a row, up to the cap', () => {
    expect([0, 4, 5, 10, 15].map((waits) => pollDelay(1, waits))).toEqual([1000, 1000, 1500, 2250, 3375]);
    expect(pollDelay(1, 100)).toBe(MAX_POLL_MS);
    expect(pollDelay(5, 0)).toBe(5000); // never sooner than asked
    expect(pollDelay(20, 0)).toBe(20_000); // nor sooner than asked when that is past the cap
    expect(pollDelay(Number.NaN, 0)).toBe(1000);
  });

  it('tells the 202 "not yet" from a stream', () => {
    expect(isWaiting({ awaiting: 'pieces', message: 'm', retryAfter: 1 })).toBe(true);
    expect(isWaiting({ url: 'u', mode: 'progressive', mimeType: 'video/mp4', fileIndex: 0, path: 'a.mp4', size: 1 })).toBe(false);
    expect(isWaiting(undefined)).toBe(false);
  });

  it('asks again after each Retry-After until the stream is there', async () => {
    vi.useFakeTimers();
    const answers = [
      jsonResponse(202, { awaiting: 'pieces', message: 'The file’s first pieces are still downloading', retryAfter: 2 }),
      jsonResponse(200, { url: 'http://worker.test/s/0', mode: 'progressive', mimeType: 'video/mp4', fileIndex: 0, path: 'a.mp4', size: 9 }),
    ];
    const fetched = stubFetch(() => answers.shift()!);
    const pending = downloadStreamWhenReady('job', 0);
    await vi.advanceTimersByTimeAsync(1999);
    expect(fetched).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(1);
    await expect(pending).resolves.toMatchObject({ url: 'http://worker.test/s/0' });
    expect(fetched).toHaveBeenCalledTimes(2);
  });

  it('waits out a 429 (too many of the account’s players asking) as a "not yet", then plays', async () => {
    vi.useFakeTimers();
    const answers = [
      jsonResponse(429, { error: { code: 'rate_limited', message: 'Too many requests; try again later' } }, { 'Retry-After': '10' }),
      jsonResponse(200, { url: 'http://worker.test/s/0', mode: 'progressive', mimeType: 'video/mp4', fileIndex: 0, path: 'a.mp4', size: 9 }),
    ];
    const fetched = stubFetch(() => answers.shift()!);
    const pending = downloadStreamWhenReady('job', 0);
    await vi.advanceTimersByTimeAsync(9999);
    expect(fetched).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(1);
    await expect(pending).resolves.toMatchObject({ url: 'http://worker.test/s/0' });
  });

  it('asks for a library stream again after a 429’s Retry-After rather than failing', async () => {
    vi.useFakeTimers();
    const stream = { mode: 'direct', kind: 'original', url: 'http://bucket.test/a.mp4', ready: true, codecs: {} };
    const answers = [
      jsonResponse(429, { error: { code: 'too_many_in_flight', message: 'busy' } }, { 'Retry-After': '1' }),
      jsonResponse(200, stream),
    ];
    const fetched = stubFetch(() => answers.shift()!);
    const pending = playableStream('item', 'direct');
    await vi.advanceTimersByTimeAsync(1000);
    await expect(pending).resolves.toMatchObject({ stream: { url: 'http://bucket.test/a.mp4' }, asked: 'direct' });
    expect(fetched).toHaveBeenCalledTimes(2);
  });

  it('marks a download’s tracks as subtitle files and names its container', () => {
    const stream = fromDownload({
      url: 'u', mode: 'progressive', mimeType: 'video/x-matroska', fileIndex: 0, path: 'Show.S01/Show.S01E01.MKV', size: 42,
      subtitles: [{ language: 'en', label: 'English', url: 's.vtt' }],
    });
    expect(stream.subtitles).toEqual([{ source: 'sidecar', language: 'en', label: 'English', url: 's.vtt' }]);
    expect(stream.facts).toEqual({ container: 'mkv', sizeBytes: 42 });
  });
});
