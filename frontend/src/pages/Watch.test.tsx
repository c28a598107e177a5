import { fireEvent, render, screen, waitFor, within } from '@solidjs/testing-library';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import App from '../App';
import { playback } from '../stores/playback';
import { resetSessionForTests } from '../stores/session';
import { clearToasts } from '../stores/toasts';
import { clearSessionCookie, fakeApi, jsonResponse, type Route } from '../test/fakes';

const item = {
  id: 'e1', fileName: 'bb.s01e02.mp4', title: 'Breaking Bad', matchState: 'matched', container: 'mp4', videoCodec: 'h264',
  durationSeconds: 2880, sizeBytes: 1, storageKey: 'k', createdAt: '2026-11-01T10:00:00Z', indexedAt: '2026-11-01T10:00:00Z',
  guess: { title: 'bb', season: 1, episode: 2 }, media: { id: 22, mediaType: 'show', title: 'Breaking Bad' },
  episode: { id: 202, season: 1, episode: 2, title: 'Cat’s in the Bag' },
};
const stream = (url = 'http://media.test/e1?sig=1') => ({
  url, expiresAt: '2026-11-01T12:00:00Z', kind: 'original', mimeType: 'video/mp4', playable: true,
  subtitles: [{ language: 'en', label: 'English', url: 'http://media.test/e1.en.vtt' }],
  resume: { positionSeconds: 600 }, next: { libraryItemId: 'e2', episodeId: 203, season: 1, episode: 3, title: '…And the Bag’s in the River' },
});
const settings = { autoplayNext: true, subtitleLanguage: 'en', watchedThresholdPercent: 90, theme: 'dark', region: null, audioLanguage: null, updatedAt: null };

function watchApi(extra: Record<string, Route> = {}) {
  const progress: unknown[] = [];
  const mock = fakeApi({
    'GET /api/v1/library/e1': () => jsonResponse(200, item),
    'GET /api/v1/library/e1/stream': () => jsonResponse(200, stream()),
    'GET /api/v1/settings': () => jsonResponse(200, settings),
    'POST /api/v1/progress': async (request) => {
      progress.push(await request.json());
      return jsonResponse(200, {});
    },
    ...extra,
  });
  return { mock, progress };
}

/** jsdom has no media pipeline: give the element a duration and position, then fire what a browser would. */
function media(video: HTMLVideoElement, values: { duration?: number; currentTime?: number }) {
  if (values.duration !== undefined) Object.defineProperty(video, 'duration', { configurable: true, value: values.duration });
  if (values.currentTime !== undefined) Object.defineProperty(video, 'currentTime', { configurable: true, writable: true, value: values.currentTime });
}

async function openPlayer() {
  window.history.replaceState(null, '', '/app/watch/e1');
  render(() => <App />);
  return (await screen.findByTestId('player-video')) as HTMLVideoElement;
}

beforeAll(() => import('./Watch'), 60_000);
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

describe('watch page', { timeout: 20_000 }, () => {
  it('plays the presigned URL, titles the page and resumes where the viewer stopped', async () => {
    watchApi();
    const video = await openPlayer();
    expect(video).toHaveAttribute('aria-label', 'Video player');
    expect(video).toHaveAttribute('src', 'http://media.test/e1?sig=1');
    expect(screen.getByRole('heading', { level: 1 })).toHaveTextContent('Breaking Bad · S01E02 · Cat’s in the Bag');
    media(video, { duration: 2880, currentTime: 0 });
    fireEvent(video, new Event('loadedmetadata'));
    expect(video.currentTime).toBe(600);
    expect(HTMLMediaElement.prototype.play).toHaveBeenCalled();
  });

  it('buffers until the video can start, and drops the spinner when the browser refuses to autoplay', async () => {
    vi.spyOn(HTMLMediaElement.prototype, 'play').mockRejectedValue(new DOMException('no gesture', 'NotAllowedError'));
    watchApi();
    const video = await openPlayer();
    expect(screen.getByTestId('player-buffering')).toBeInTheDocument();
    media(video, { duration: 2880, currentTime: 0 });
    fireEvent(video, new Event('loadedmetadata'));
    await waitFor(() => expect(screen.queryByTestId('player-buffering')).toBeNull());
    fireEvent(video, new Event('waiting'));
    expect(screen.getByTestId('player-buffering')).toBeInTheDocument();
    fireEvent(video, new Event('playing'));
    expect(screen.queryByTestId('player-buffering')).toBeNull();
  });

  it('saves progress on pause and on a viewer seek, but not for the resume jump', async () => {
    const { progress } = watchApi();
    const video = await openPlayer();
    media(video, { duration: 2880, currentTime: 0 });
    fireEvent(video, new Event('loadedmetadata'));
    fireEvent(video, new Event('seeked')); // the resume jump
    fireEvent(video, new Event('play'));
    media(video, { currentTime: 612.34 });
    fireEvent(video, new Event('pause'));
    await waitFor(() => expect(progress).toEqual([{ mediaId: 22, episodeId: 202, positionSeconds: 612.3, durationSeconds: 2880 }]));
    media(video, { currentTime: 1500 });
    fireEvent(video, new Event('seeked'));
    await waitFor(() => expect(progress).toHaveLength(2));
    expect(progress[1]).toMatchObject({ positionSeconds: 1500 });
  });

  it('sends the last position with keepalive when the page is hidden', async () => {
    const keepalive: boolean[] = [];
    const { progress } = watchApi({
      'POST /api/v1/progress': async (request) => {
        keepalive.push(request.keepalive);
        progress.push(await request.json());
        return jsonResponse(200, {});
      },
    });
    const video = await openPlayer();
    media(video, { duration: 2880, currentTime: 700 });
    window.dispatchEvent(new Event('pagehide'));
    await waitFor(() => expect(progress).toEqual([{ mediaId: 22, episodeId: 202, positionSeconds: 700, durationSeconds: 2880 }]));
    expect(keepalive).toEqual([true]);
  });

  it('counts down to the next episode and lets the viewer cancel or play now', async () => {
    const user = userEvent.setup();
    watchApi({ 'GET /api/v1/library/e2': () => jsonResponse(200, { ...item, id: 'e2' }), 'GET /api/v1/library/e2/stream': () => jsonResponse(200, stream('http://media.test/e2')) });
    const video = await openPlayer();
    media(video, { duration: 2880, currentTime: 2880 });
    fireEvent(video, new Event('ended'));
    const upNext = await screen.findByRole('region', { name: 'Up next' });
    expect(within(upNext).getByText(/Starts in 10 s/)).toBeInTheDocument();
    await user.click(within(upNext).getByRole('button', { name: 'Cancel autoplay' }));
    expect(within(upNext).queryByText(/Starts in/)).toBeNull();
    await user.click(within(upNext).getByRole('button', { name: 'Play now' }));
    await waitFor(() => expect(window.location.pathname).toBe('/app/watch/e2'));
    await waitFor(() => expect(screen.getByTestId('player-video')).toHaveAttribute('src', 'http://media.test/e2'));
  });

  it('handles shortcuts on the page but not while typing in the search box', async () => {
    const user = userEvent.setup();
    watchApi();
    await openPlayer();
    const theater = screen.getByRole('button', { name: 'Theater mode' });
    expect(theater).toHaveAttribute('aria-pressed', 'false');
    await user.type(screen.getAllByRole('combobox')[0]!, 't');
    expect(theater).toHaveAttribute('aria-pressed', 'false');
    (document.activeElement as HTMLElement).blur();
    await user.keyboard('t');
    expect(theater).toHaveAttribute('aria-pressed', 'true');
  });

  it('theater mode hides the sidebar and top bar, fills the window with the stage, and brings them back', async () => {
    const user = userEvent.setup();
    watchApi();
    await openPlayer();
    expect(screen.getAllByRole('combobox').length).toBeGreaterThan(0); // the top bar's search
    const sidebarLinks = () => screen.queryAllByRole('link', { name: /^Dashboard$/ });
    expect(sidebarLinks().length).toBeGreaterThan(0);
    await user.click(screen.getByRole('button', { name: 'Theater mode' }));
    expect(screen.queryAllByRole('combobox')).toEqual([]);
    expect(sidebarLinks()).toEqual([]);
    expect(screen.getByTestId('player-frame')).toHaveClass('h-dvh');
    expect(screen.getByTestId('player-frame')).not.toHaveClass('aspect-video');
    expect(document.getElementById('main')).toHaveClass('px-0!', 'pt-0!', 'max-w-none!');
    expect(screen.getByRole('link', { name: 'Library' })).toHaveClass('hidden!'); // nothing above the stage
    await user.click(screen.getByRole('button', { name: 'Theater mode' }));
    expect(screen.getAllByRole('combobox').length).toBeGreaterThan(0);
    expect(sidebarLinks().length).toBeGreaterThan(0);
    expect(document.getElementById('main')).not.toHaveClass('px-0!');
  });

  it('keeps the shell (and the way back) when the file cannot play, even in theater mode', async () => {
    playback.setTheater(true);
    watchApi({ 'GET /api/v1/library/e1': () => jsonResponse(404, { error: { code: 'library_item_not_found', message: 'No such library item' } }) });
    window.history.replaceState(null, '', '/app/watch/e1');
    render(() => <App />);
    expect(await screen.findByRole('heading', { level: 1, name: 'Not in your library' })).toBeInTheDocument();
    expect(screen.getAllByRole('combobox').length).toBeGreaterThan(0);
    expect(screen.getAllByRole('link', { name: 'Library' })[0]).not.toHaveClass('hidden!');
  });

  it('leaves the shell alone on other pages while theater mode stays the preference', async () => {
    playback.setTheater(true);
    watchApi();
    await openPlayer();
    expect(screen.queryAllByRole('combobox')).toEqual([]);
    window.history.pushState(null, '', '/app/watch-later');
    window.dispatchEvent(new PopStateEvent('popstate'));
    await waitFor(() => expect(screen.getAllByRole('combobox').length).toBeGreaterThan(0));
    expect(playback.theater()).toBe(true);
  });

  it('offers the subtitle tracks plus Off, and picks the default language from settings', async () => {
    const user = userEvent.setup();
    watchApi();
    await openPlayer();
    await user.click(screen.getByRole('button', { name: 'Subtitles' }));
    const english = await screen.findByRole('menuitemradio', { name: 'English' });
    const off = screen.getByRole('menuitemradio', { name: 'Off' });
    expect(english).toHaveAttribute('aria-checked', 'true');
    await user.click(off);
    await user.click(screen.getByRole('button', { name: 'Subtitles' }));
    expect(await screen.findByRole('menuitemradio', { name: 'Off' })).toHaveAttribute('aria-checked', 'true');
  });

  it('fetches a fresh URL when the video errors (expired link) and keeps the position', async () => {
    let calls = 0;
    watchApi({ 'GET /api/v1/library/e1/stream': () => jsonResponse(200, stream(`http://media.test/e1?sig=${++calls}`)) });
    const video = await openPlayer();
    media(video, { duration: 2880, currentTime: 0 });
    fireEvent(video, new Event('loadedmetadata'));
    media(video, { currentTime: 1234 });
    fireEvent(video, new Event('timeupdate'));
    fireEvent(video, new Event('error'));
    await waitFor(() => expect(video).toHaveAttribute('src', 'http://media.test/e1?sig=2'));
    fireEvent(video, new Event('loadedmetadata'));
    expect(video.currentTime).toBe(1234);
  });

  it('asks for the HLS version of a file this browser cannot decode, waits while it is prepared, then plays it', async () => {
    // A browser without HEVC/AC-3 that plays HLS itself (jsdom has no MediaSource, so hls.js stands aside).
    vi.spyOn(HTMLMediaElement.prototype, 'canPlayType').mockImplementation((type) => (type === 'application/vnd.apple.mpegurl' ? 'maybe' : ''));
    const asked: (string | null)[] = [];
    let polls = 0;
    const codecs = { container: 'matroska,webm', video: 'hevc', audio: ['ac3'] };
    const { progress } = watchApi({
      'GET /api/v1/library/e1/stream': (_request, url) => {
        const mode = url.searchParams.get('mode');
        asked.push(mode);
        if (mode !== 'hls') return jsonResponse(200, { ...stream('http://media.test/e1.mkv'), mode: 'direct', codecs, playable: false });
        polls += 1;
        return jsonResponse(200, { ...stream('http://api.test/hls/e1/index.m3u8'), mode: 'hls', codecs, ready: polls > 1 });
      },
    });
    window.history.replaceState(null, '', '/app/watch/e1');
    render(() => <App />);
    expect(await screen.findByText('Preparing a version your browser can play…')).toBeInTheDocument();
    expect(screen.getByTestId('player-buffering')).toBeInTheDocument();
    const video = (await screen.findByTestId('player-video', {}, { timeout: 5000 })) as HTMLVideoElement;
    await waitFor(() => expect(video).toHaveAttribute('src', 'http://api.test/hls/e1/index.m3u8'));
    expect(screen.getByTestId('player-stage')).toHaveAttribute('data-mode', 'hls');
    expect(asked).toEqual([null, 'hls', 'hls']);
    media(video, { duration: 120, currentTime: 0 }); // the playlist so far: two minutes converted
    fireEvent(video, new Event('loadedmetadata'));
    expect(video.currentTime).toBe(600); // resume works the same in every mode
    fireEvent(video, new Event('play'));
    media(video, { currentTime: 110 });
    fireEvent(video, new Event('pause'));
    // Saved against the file's probed length, not the part converted so far.
    await waitFor(() => expect(progress).toEqual([{ mediaId: 22, episodeId: 202, positionSeconds: 110, durationSeconds: 2880 }]));
  });

  it('tells the viewer their place in line while the converter is busy with other videos, then plays', async () => {
    vi.spyOn(HTMLMediaElement.prototype, 'canPlayType').mockImplementation((type) => (type === 'application/vnd.apple.mpegurl' ? 'maybe' : ''));
    const answers = [
      { ready: false, preparing: { state: 'queued', position: 3 } },
      { ready: false, preparing: { state: 'queued', position: 1 } },
      { ready: false, preparing: { state: 'preparing', position: null } },
      { ready: true, preparing: null },
    ];
    let polls = 0;
    watchApi({
      'GET /api/v1/library/e1/stream': () => {
        const answer = answers[Math.min(polls++, answers.length - 1)]!;
        return jsonResponse(200, { ...stream(), url: answer.ready ? 'http://api.test/hls/e1/index.m3u8' : null, mode: 'hls', kind: 'hls', codecs: {}, ...answer });
      },
    });
    window.history.replaceState(null, '', '/app/watch/e1');
    render(() => <App />);
    expect(await screen.findByText('2 ahead of you in line to be converted…')).toBeInTheDocument();
    expect(screen.getByText('Other videos are being converted right now; yours starts as soon as one is done.')).toBeInTheDocument();
    expect(await screen.findByText("You're next in line to be converted…", {}, { timeout: 3000 })).toBeInTheDocument();
    expect(await screen.findByText('Preparing a version your browser can play…', {}, { timeout: 3000 })).toBeInTheDocument();
    const video = (await screen.findByTestId('player-video', {}, { timeout: 5000 })) as HTMLVideoElement;
    await waitFor(() => expect(video).toHaveAttribute('src', 'http://api.test/hls/e1/index.m3u8'));
  });

  it('moves down direct → remux → hls_audio → hls by itself when a mode does not play, in plain words', async () => {
    vi.spyOn(HTMLMediaElement.prototype, 'canPlayType').mockImplementation((type) => (type === 'application/vnd.apple.mpegurl' ? 'maybe' : ''));
    const asked: (string | null)[] = [];
    const prepared = new Set<string>();
    watchApi({
      'GET /api/v1/library/e1/stream': (_request, url) => {
        const mode = url.searchParams.get('mode');
        asked.push(mode);
        if (!mode) return jsonResponse(200, { ...stream('http://media.test/e1.mkv'), mode: 'direct', kind: 'original', playable: true, codecs: {} });
        const ready = prepared.has(mode);
        prepared.add(mode); // ready from the second ask on
        const kind = mode === 'remux' ? 'mp4_remux' : mode;
        const url_ = mode === 'remux' ? 'http://media.test/e1.mp4' : `http://api.test/hls/e1/${mode}.m3u8`;
        return jsonResponse(200, { ...stream(ready ? url_ : undefined), url: ready ? url_ : null, mode: mode === 'remux' ? 'remux' : 'hls', kind, ready, codecs: {} });
      },
    });
    const demuxer = { code: 4, message: 'DEMUXER_ERROR_COULD_NOT_OPEN: FFmpegDemuxer: open context failed' };
    const failToDecode = () => {
      const video = screen.getByTestId('player-video');
      Object.defineProperty(video, 'error', { configurable: true, value: demuxer });
      fireEvent(video, new Event('error'));
    };
    await openPlayer();
    failToDecode(); // no fresh link first: a file that does not decode is not an expired link
    expect(await screen.findByText("This file can't play directly in your browser; repackaging it — this takes a few seconds.")).toBeInTheDocument();
    await waitFor(() => expect(screen.getByTestId('player-video')).toHaveAttribute('src', 'http://media.test/e1.mp4'), { timeout: 5000 });
    expect(screen.getByTestId('player-stage')).toHaveAttribute('data-mode', 'remux');
    // Said while the new mode starts; once it plays, a later stall is plain buffering again.
    expect(screen.getByTestId('player-buffering')).toHaveTextContent("This file can't play directly in your browser; repackaging it");
    fireEvent(screen.getByTestId('player-video'), new Event('playing'));
    fireEvent(screen.getByTestId('player-video'), new Event('waiting'));
    expect(screen.getByTestId('player-buffering')).toHaveTextContent('Buffering…');
    failToDecode();
    expect(await screen.findByText("This file's sound can't play in your browser; converting the audio — this takes about a minute.")).toBeInTheDocument();
    await waitFor(() => expect(screen.getByTestId('player-video')).toHaveAttribute('src', 'http://api.test/hls/e1/hls_audio.m3u8'), { timeout: 5000 });
    failToDecode();
    expect(await screen.findByText("This file can't play directly in your browser; converting it — this takes about a minute.")).toBeInTheDocument();
    await waitFor(() => expect(screen.getByTestId('player-video')).toHaveAttribute('src', 'http://api.test/hls/e1/hls.m3u8'), { timeout: 5000 });
    failToDecode();
    expect(await screen.findByText("This file can't play in your browser, even converted. Try another version of this title from its page, or get a different release.")).toBeInTheDocument();
    expect(asked).toEqual([null, 'remux', 'remux', 'hls_audio', 'hls_audio', 'hls', 'hls']);
    expect(document.body.textContent).not.toMatch(/DEMUXER|FFmpeg|PipelineStatus/);
  });

  it("shows the server's notice while a version is made", async () => {
    let polls = 0;
    watchApi({
      'GET /api/v1/library/e1/stream': () => {
        const ready = ++polls > 1;
        return jsonResponse(200, {
          ...stream(), url: ready ? 'http://media.test/e1.mp4' : null, mode: 'remux', kind: 'mp4_remux', ready, codecs: {},
          notice: ready ? null : 'Repackaging the video as MP4 — a few seconds.',
        });
      },
    });
    window.history.replaceState(null, '', '/app/watch/e1');
    render(() => <App />);
    expect(await screen.findByText('Repackaging the video as MP4 — a few seconds.')).toBeInTheDocument();
    await waitFor(() => expect(screen.getByTestId('player-video')).toHaveAttribute('src', 'http://media.test/e1.mp4'), { timeout: 5000 });
  });

  it('says why a file cannot play at all (media_unplayable) and what to do', async () => {
    watchApi({
      'GET /api/v1/library/e1/stream': () => jsonResponse(409, { error: { code: 'media_unplayable', message: "This file is damaged: its video couldn't be read." } }),
    });
    window.history.replaceState(null, '', '/app/watch/e1');
    render(() => <App />);
    expect(await screen.findByRole('heading', { level: 1, name: "This file can't play" })).toBeInTheDocument();
    expect(screen.getByText("This file is damaged: its video couldn't be read.")).toBeInTheDocument();
    expect(screen.getByText('Try another version of this title from its page, or get a different release.')).toBeInTheDocument();
    expect(screen.queryByTestId('player-video')).toBeNull();
  });

  it('says why when a fresh link is refused because every mode failed (media_unplayable), and what to do', async () => {
    let calls = 0;
    watchApi({
      'GET /api/v1/library/e1/stream': () =>
        ++calls === 1
          ? jsonResponse(200, stream())
          : jsonResponse(409, { error: { code: 'media_unplayable', message: "This file's audio (TrueHD) couldn't be converted." } }),
    });
    const video = await openPlayer();
    fireEvent(video, new Event('error')); // not a decode fault (jsdom has no MediaError): a fresh link is asked for
    expect(await screen.findByText("This file's audio (TrueHD) couldn't be converted. Try another version of this title from its page, or get a different release.")).toBeInTheDocument();
    expect(screen.getByText('Playback stopped')).toBeInTheDocument();
  });

  it('names the play mode in the Playback info panel and keeps the server mode when the browser decodes the file', async () => {
    const user = userEvent.setup();
    const asked: (string | null)[] = [];
    vi.stubGlobal('MediaSource', { isTypeSupported: (type: string) => type === 'video/mp4; codecs="avc1.64001f,mp4a.40.2"' });
    watchApi({
      'GET /api/v1/library/e1/stream': (_request, url) => {
        asked.push(url.searchParams.get('mode'));
        return jsonResponse(200, { ...stream(), mode: 'direct', codecs: { container: 'mov,mp4,m4a,3gp,3g2,mj2', video: 'h264', audio: ['aac'] } });
      },
    });
    await openPlayer();
    expect(screen.getByTestId('player-stage')).toHaveAttribute('data-mode', 'direct');
    expect(screen.queryByText('direct')).toBeNull(); // no mode label over the video
    expect(screen.queryByTestId('playback-info')).toBeNull();
    await user.click(screen.getByRole('button', { name: 'Playback info' }));
    const info = screen.getByRole('dialog', { name: 'Playback info' });
    const row = (label: string) => info.querySelector(`[data-info="${label}"]`)?.textContent;
    expect(row('Play mode')).toBe('Direct play (the file as it is)');
    expect(row('Container')).toBe('MP4');
    expect(row('Video')).toBe('H.264');
    expect(row('Audio')).toBe('AAC');
    expect(row('Buffer ahead')).toBe('0.0 s');
    await user.click(within(info).getByRole('button', { name: 'Close playback info' }));
    expect(screen.queryByTestId('playback-info')).toBeNull();
    expect(asked).toEqual([null]);
    vi.unstubAllGlobals();
  });

  it('heads the page with the title and quality, and names the file once', async () => {
    watchApi({ 'GET /api/v1/library/e1': () => jsonResponse(200, { ...item, fileName: 'Breaking.Bad.S01E02.1080p.WEB.mkv', sizeBytes: 1_500_000_000 }) });
    await openPlayer();
    expect(screen.getByRole('heading', { level: 1 })).toHaveTextContent(/^Breaking Bad · S01E02 · Cat’s in the Bag$/);
    expect(screen.getByTestId('player-quality')).toHaveTextContent('1080p');
    expect(screen.getByTestId('player-details')).toHaveTextContent('48m 0s · 1.5 GB · Breaking.Bad.S01E02.1080p.WEB.mkv');
    expect(screen.getAllByText(/Breaking\.Bad\.S01E02/)).toHaveLength(1);
  });

  it('shows a clear error for a file that is not in the library', async () => {
    watchApi({ 'GET /api/v1/library/e1': () => jsonResponse(404, { error: { code: 'library_item_not_found', message: 'No such library item' } }) });
    window.history.replaceState(null, '', '/app/watch/e1');
    render(() => <App />);
    expect(await screen.findByRole('heading', { level: 1, name: 'Not in your library' })).toBeInTheDocument();
    expect(screen.getByText('No such library item')).toBeInTheDocument();
    expect(screen.queryByTestId('player-video')).toBeNull();
  });
});
