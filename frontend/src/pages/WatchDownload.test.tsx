import { fireEvent, render, screen, waitFor, within } from '@solidjs/testing-library';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import App from '../App';
import { playback } from '../stores/playback';
import { resetSessionForTests } from '../stores/session';
import { clearToasts } from '../stores/toasts';
import { clearSessionCookie, fakeApi, jsonResponse, type Route } from '../test/fakes';

const JOB = 'a1b2c3d4-0000-4000-8000-000000000001';
const job = {
  id: JOB, title: 'Slow Horses S01', status: 'downloading', progress: 42, bytesDone: 420_000_000, bytesTotal: 1_000_000_000,
  speedBps: 5_000_000, attempt: 1, retryCount: 0, sourceType: 'magnet', createdAt: '2026-11-23T10:00:00Z', updatedAt: '2026-11-23T10:01:00Z', files: [],
};
const files = [
  { index: 0, path: 'Slow.Horses.S01/Slow.Horses.S01E01.mp4', size: 300_000_000, mimeType: 'video/mp4', season: 1, episode: 1 },
  { index: 1, path: 'Slow.Horses.S01/Slow.Horses.S01E02.mp4', size: 300_000_000, mimeType: 'video/mp4', season: 1, episode: 2 },
];
const streamOf = (index: number, mode: 'progressive' | 'stored' = 'progressive', url = `http://worker.test/s/${index}?sig=1`) => ({
  url, mode, mimeType: 'video/mp4', fileIndex: index, path: files[index]!.path, size: files[index]!.size, files,
  next: files[index + 1] ?? null, subtitles: [{ language: 'en', label: 'English', url: `http://worker.test/s/${index}.en.vtt` }],
});
const notYet = (awaiting = 'pieces', retryAfter = 1) => jsonResponse(202, { awaiting, message: 'The file’s first pieces are still downloading', retryAfter });
const settings = { autoplayNext: true, subtitleLanguage: 'en', watchedThresholdPercent: 90, theme: 'dark', region: null, audioLanguage: null, updatedAt: null };

function downloadApi(extra: Record<string, Route> = {}) {
  const asked: (string | null)[] = [];
  const progress: unknown[] = [];
  fakeApi({
    [`GET /api/v1/downloads/${JOB}`]: () => jsonResponse(200, job),
    [`GET /api/v1/downloads/${JOB}/stream`]: (_request, url) => {
      asked.push(url.searchParams.get('file'));
      return jsonResponse(200, streamOf(Number(url.searchParams.get('file') ?? 0)));
    },
    'GET /api/v1/settings': () => jsonResponse(200, settings),
    'POST /api/v1/progress': async (request) => {
      progress.push(await request.json());
      return jsonResponse(200, {});
    },
    ...extra,
  });
  return { asked, progress };
}

function media(video: HTMLVideoElement, values: { duration?: number; currentTime?: number }) {
  if (values.duration !== undefined) Object.defineProperty(video, 'duration', { configurable: true, value: values.duration });
  if (values.currentTime !== undefined) Object.defineProperty(video, 'currentTime', { configurable: true, writable: true, value: values.currentTime });
}

async function open(path = `/app/watch/download/${JOB}`) {
  window.history.replaceState(null, '', path);
  render(() => <App />);
  return (await screen.findByTestId('player-video', {}, { timeout: 5000 })) as HTMLVideoElement;
}

beforeAll(() => import('./WatchDownload'), 60_000);
beforeEach(() => {
  resetSessionForTests();
  playback.reload();
  vi.spyOn(HTMLMediaElement.prototype, 'play').mockResolvedValue(undefined);
  vi.spyOn(HTMLMediaElement.prototype, 'pause').mockImplementation(() => undefined);
});
afterEach(() => {
  vi.restoreAllMocks();
  clearSessionCookie();
  clearToasts();
});

describe('watching a download', { timeout: 20_000 }, () => {
  it('waits out the 202 "not yet" with the live progress, then plays the progressive stream', async () => {
    let calls = 0;
    const { asked } = downloadApi({ [`GET /api/v1/downloads/${JOB}/stream`]: () => (++calls === 1 ? notYet() : jsonResponse(200, streamOf(0))) });
    window.history.replaceState(null, '', `/app/watch/download/${JOB}`);
    render(() => <App />);
    const waiting = await screen.findByTestId('player-buffering');
    expect(await within(waiting).findByText('Starting… fetching the first pieces')).toBeInTheDocument();
    expect(await within(waiting).findByText(/^42% · 420 MB of 1(\.0)? GB · ↓ 5(\.0)? MB\/s$/)).toBeInTheDocument();
    const video = (await screen.findByTestId('player-video', {}, { timeout: 5000 })) as HTMLVideoElement;
    expect(calls).toBe(2);
    expect(asked).toEqual([]);
    expect(video).toHaveAttribute('src', 'http://worker.test/s/0?sig=1');
    expect(screen.getByTestId('player-stage')).toHaveAttribute('data-mode', 'progressive');
    expect(screen.getByTestId('streaming-badge')).toHaveTextContent('Streaming while downloading · 42%');
    // Not linked to a title: the title read from the release's name; the file's name once, in the details line.
    expect(screen.getByRole('heading', { level: 1 })).toHaveTextContent(/^Slow Horses · S01E01$/);
    expect(screen.getByTestId('player-details')).toHaveTextContent('Slow.Horses.S01E01.mp4 · 300 MB');
    expect(screen.getAllByText(/Slow\.Horses\.S01E01\.mp4/)).toHaveLength(1);
  });

  it('asks again no sooner than Retry-After, and says what it waits for', async () => {
    const at: number[] = [];
    downloadApi({
      [`GET /api/v1/downloads/${JOB}/stream`]: () => {
        at.push(Date.now());
        if (at.length === 1) return notYet('download', 2);
        return at.length === 2 ? notYet('pieces', 1) : jsonResponse(200, streamOf(0));
      },
    });
    window.history.replaceState(null, '', `/app/watch/download/${JOB}`);
    render(() => <App />);
    expect(await screen.findByText('Waiting for the download to start again…')).toBeInTheDocument();
    expect(await screen.findByText('Starting… fetching the first pieces', {}, { timeout: 4000 })).toBeInTheDocument();
    await screen.findByTestId('player-video', {}, { timeout: 4000 });
    expect(at).toHaveLength(3);
    expect(at[1]! - at[0]!).toBeGreaterThanOrEqual(1950);
    expect(at[2]! - at[1]!).toBeGreaterThanOrEqual(950);
  });

  it('heads a linked file with its title, episode and quality, not the release name', async () => {
    downloadApi({
      [`GET /api/v1/downloads/${JOB}`]: () => jsonResponse(200, { ...job, title: 'Slow.Horses.S01.1080p.WEB-DL', mediaId: 77, season: 1, episode: null }),
      'GET /api/v1/shows/77/seasons/1': () => jsonResponse(200, {
        showId: 77, showTitle: 'Slow Horses', seasonNumber: 1, episodes: [{ id: 7701, episodeNumber: 1, name: 'Failure’s Contagious' }, { id: 7702, episodeNumber: 2, name: 'Work Drinks' }],
      }),
    });
    await open(`/app/watch/download/${JOB}?file=1`);
    await waitFor(() => expect(screen.getByRole('heading', { level: 1 })).toHaveTextContent(/^Slow Horses · S01E02 · Work Drinks$/));
    expect(screen.getByTestId('player-quality')).toHaveTextContent('1080p');
    expect(document.title).toBe('Slow Horses · S01E02 · Work Drinks · /seen/');
    expect(screen.queryByText(/Slow\.Horses\.S01\.1080p/)).toBeNull();
  });

  it("names a linked pack's next episode by its title in Up next", async () => {
    downloadApi({
      [`GET /api/v1/downloads/${JOB}`]: () => jsonResponse(200, { ...job, mediaId: 77, season: 1, episode: null }),
      'GET /api/v1/shows/77/seasons/1': () => jsonResponse(200, {
        showId: 77, showTitle: 'Slow Horses', seasonNumber: 1, episodes: [{ id: 7701, episodeNumber: 1, name: 'Failure’s Contagious' }, { id: 7702, episodeNumber: 2, name: 'Work Drinks' }],
      }),
    });
    const video = await open(`/app/watch/download/${JOB}?file=0`);
    media(video, { duration: 1800, currentTime: 1800 });
    fireEvent(video, new Event('ended'));
    expect(await screen.findByTestId('up-next')).toHaveTextContent('S01E02 · Work Drinks');
  });

  it('says in words why a file that does not decode stops, never the pipeline error', async () => {
    downloadApi();
    const video = await open();
    Object.defineProperty(video, 'error', { configurable: true, value: { code: 4, message: 'DEMUXER_ERROR_COULD_NOT_OPEN: FFmpegDemuxer: open context failed' } });
    fireEvent(video, new Event('error'));
    expect(await screen.findByText(/This file can't play in your browser while it downloads\. When the download finishes/)).toBeInTheDocument();
    expect(document.body.textContent).not.toMatch(/DEMUXER|FFmpeg/);
  });

  it('says why a failed or cancelled download cannot play', async () => {
    downloadApi({ [`GET /api/v1/downloads/${JOB}/stream`]: () => jsonResponse(409, { error: { code: 'not_streamable', message: 'This download is failed' } }) });
    window.history.replaceState(null, '', `/app/watch/download/${JOB}`);
    render(() => <App />);
    expect(await screen.findByRole('heading', { level: 1, name: "This download can't play" })).toBeInTheDocument();
    expect(screen.getAllByText('This download is failed').length).toBeGreaterThan(0);
    expect(screen.queryByTestId('player-video')).toBeNull();
    expect(screen.queryByTestId('player-buffering')).toBeNull();
  });

  it('plays the next file of the pack from the up-next card', async () => {
    const user = userEvent.setup();
    const { asked } = downloadApi();
    const video = await open(`/app/watch/download/${JOB}?file=0`);
    media(video, { duration: 1800, currentTime: 1800 });
    fireEvent(video, new Event('ended'));
    const upNext = await screen.findByTestId('up-next');
    expect(upNext).toHaveTextContent('S01E02');
    expect(upNext).not.toHaveTextContent('Slow.Horses'); // no file name
    await user.click(within(upNext).getByRole('button', { name: 'Play now' }));
    await waitFor(() => expect(window.location.search).toBe('?file=1'));
    await waitFor(() => expect(screen.getByTestId('player-video')).toHaveAttribute('src', 'http://worker.test/s/1?sig=1'));
    expect(asked).toEqual(['0', '1']);
  });

  it("opened for one episode of a pack, plays that episode's file rather than the default one", async () => {
    const { asked } = downloadApi();
    await open(`/app/watch/download/${JOB}?season=1&episode=2`);
    await waitFor(() => expect(screen.getByTestId('player-video')).toHaveAttribute('src', 'http://worker.test/s/1?sig=1'));
    expect(window.location.search).toBe('?file=1');
    expect(asked).toEqual([null, '1']);
  });

  it('moves to the stored URL at the same position when the progressive one stops working', async () => {
    let calls = 0;
    downloadApi({ [`GET /api/v1/downloads/${JOB}/stream`]: () => jsonResponse(200, ++calls === 1 ? streamOf(0) : streamOf(0, 'stored', 'http://bucket.test/e1?X-Amz-Signature=1')) });
    const video = await open();
    media(video, { duration: 1800, currentTime: 0 });
    fireEvent(video, new Event('loadedmetadata'));
    media(video, { currentTime: 1234 });
    fireEvent(video, new Event('timeupdate'));
    fireEvent(video, new Event('error')); // the worker answered 410: the file is in the bucket now
    await waitFor(() => expect(video).toHaveAttribute('src', 'http://bucket.test/e1?X-Amz-Signature=1'));
    expect(screen.getByTestId('player-stage')).toHaveAttribute('data-mode', 'stored');
    expect(screen.queryByTestId('streaming-badge')).toBeNull();
    fireEvent(video, new Event('loadedmetadata'));
    expect(video.currentTime).toBe(1234);
  });

  it('keeps asking while the API answers 5xx under a progressive stream (a restart), then plays on', async () => {
    let calls = 0;
    downloadApi({
      [`GET /api/v1/downloads/${JOB}/stream`]: () => {
        calls += 1;
        if (calls === 2) return jsonResponse(502, { error: { code: 'bad_gateway', message: 'Bad gateway' } });
        return jsonResponse(200, streamOf(0, 'progressive', `http://worker.test/s/0?sig=${calls}`));
      },
    });
    const video = await open();
    fireEvent(video, new Event('error'));
    await waitFor(() => expect(video).toHaveAttribute('src', 'http://worker.test/s/0?sig=3'), { timeout: 5000 });
    expect(screen.queryByText('Playback stopped')).toBeNull();
  });

  it("saves progress against the episode a linked pack's file holds", async () => {
    const { progress } = downloadApi({
      [`GET /api/v1/downloads/${JOB}`]: () => jsonResponse(200, { ...job, mediaId: 77, season: 1, episode: null }),
      'GET /api/v1/shows/77/seasons/1': () => jsonResponse(200, {
        showId: 77, showTitle: 'Slow Horses', seasonNumber: 1, episodes: [{ id: 7701, episodeNumber: 1 }, { id: 7702, episodeNumber: 2 }],
      }),
    });
    const video = await open(`/app/watch/download/${JOB}?file=1`);
    media(video, { duration: 1800, currentTime: 0 });
    fireEvent(video, new Event('loadedmetadata'));
    fireEvent(video, new Event('play'));
    media(video, { currentTime: 95 });
    fireEvent(video, new Event('pause'));
    await waitFor(() => expect(progress).toEqual([{ mediaId: 77, episodeId: 7702, positionSeconds: 95, durationSeconds: 1800 }]));
  });

  it('saves nothing for a download added by hand', async () => {
    const { progress } = downloadApi();
    const video = await open();
    expect(screen.getByText("Not linked to a title: your place in it isn't saved.")).toBeInTheDocument();
    media(video, { duration: 1800, currentTime: 0 });
    fireEvent(video, new Event('play'));
    media(video, { currentTime: 95 });
    fireEvent(video, new Event('pause'));
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(progress).toEqual([]);
  });
});

describe('a download whose stream stalls', { timeout: 20_000 }, () => {
  const JOB2 = 'a1b2c3d4-0000-4000-8000-000000000002';
  const SESSION = '5e551011-0000-4000-8000-000000000001';
  const switched = {
    sessionId: SESSION, mediaId: 77, mode: 'download', streamUrl: `/api/v1/downloads/${JOB2}/stream?session=${SESSION}`,
    file: { downloadId: JOB2, libraryItemId: null, fileIndex: null }, positionSeconds: 754.2, buffering: false, stallSwitchSeconds: 5,
    switches: [{ at: '2026-11-26T09:00:00Z', fromPickId: 'p1', toPickId: 'p2', release: 'Film.2001.720p.HDTV-GRP', reason: 'switched: the stream stalled 5 s at 12:34', positionSeconds: 754.2 }],
    createdAt: '2026-11-26T08:50:00Z', updatedAt: '2026-11-26T09:00:00Z',
  };

  it('moves to the release the session switched to and plays it from the second the stalled one waited at', async () => {
    const beats: unknown[] = [];
    const opened: unknown[] = [];
    downloadApi({
      [`GET /api/v1/downloads/${JOB}`]: () => jsonResponse(200, { ...job, mediaId: 77, season: null, episode: null }),
      [`GET /api/v1/downloads/${JOB2}`]: () => jsonResponse(200, { ...job, id: JOB2, mediaId: 77, season: null, episode: null }),
      [`GET /api/v1/downloads/${JOB2}/stream`]: () => jsonResponse(200, { ...streamOf(0), url: 'http://worker.test/b/0?sig=2', next: null }),
      'POST /api/v1/playback/sessions': async (request) => {
        opened.push(await request.json());
        return jsonResponse(201, { ...switched, file: { downloadId: JOB, libraryItemId: null, fileIndex: null }, switches: [] });
      },
      [`POST /api/v1/playback/sessions/${SESSION}/heartbeat`]: async (request) => {
        beats.push(await request.json());
        return jsonResponse(200, switched);
      },
      [`GET /api/v1/playback/sessions/${SESSION}`]: () => jsonResponse(200, switched),
    });
    const video = await open(`/app/watch/download/${JOB}?file=0`);
    await waitFor(() => expect(opened).toEqual([expect.objectContaining({ mediaId: 77, downloadId: JOB })]));
    media(video, { currentTime: 754.2 });
    fireEvent(video, new Event('timeupdate'));
    fireEvent(video, new Event('play'));
    fireEvent(video, new Event('waiting')); // the stall begins: a heartbeat at once

    await waitFor(() => expect(window.location.pathname).toBe(`/app/watch/download/${JOB2}`));
    expect(beats[0]).toEqual({ positionSeconds: 754.2, buffering: true, fileIndex: 0 });
    expect(new URLSearchParams(window.location.search).get('at')).toBe('754.2');
    expect(new URLSearchParams(window.location.search).get('session')).toBe(SESSION);
    const next = (await waitFor(() => {
      const element = screen.getByTestId('player-video');
      expect(element).toHaveAttribute('src', 'http://worker.test/b/0?sig=2');
      return element;
    })) as HTMLVideoElement;
    media(next, { duration: 1800, currentTime: 0 });
    fireEvent(next, new Event('loadedmetadata'));
    expect(next.currentTime).toBe(754.2); // the same second
    expect(await screen.findByTestId('session-notice')).toHaveTextContent('Switched to Film.2001.720p.HDTV-GRP — the previous one stalled');
  });
});
