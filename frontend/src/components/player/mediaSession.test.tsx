import { render, screen, waitFor } from '@solidjs/testing-library';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import App from '../../App';
import { nowPlaying } from '../../pages/Watch';
import { playback } from '../../stores/playback';
import { resetSessionForTests } from '../../stores/session';
import { clearToasts } from '../../stores/toasts';
import { clearSessionCookie, fakeApi, jsonResponse } from '../../test/fakes';
import { bindMediaSession, syncPosition } from './mediaSession';

type Handler = MediaSessionActionHandler | null;

/** navigator.mediaSession as a recorder: metadata, handlers by action, the last position state. */
function fakeSession() {
  const handlers = new Map<string, Handler>();
  const session = {
    metadata: null as MediaMetadata | null,
    playbackState: 'none' as MediaSessionPlaybackState,
    position: undefined as MediaPositionState | undefined,
    setActionHandler: (action: string, handler: Handler) => void handlers.set(action, handler),
    setPositionState(state?: MediaPositionState) {
      this.position = state;
    },
  };
  return { session, handlers, call: (action: string, details: Partial<MediaSessionActionDetails> = {}) => handlers.get(action)?.({ action, ...details } as MediaSessionActionDetails) };
}

class FakeMetadata {
  constructor(init: MediaMetadataInit) {
    Object.assign(this, init);
  }
}

beforeEach(() => vi.stubGlobal('MediaMetadata', FakeMetadata));

describe('media session', () => {
  it('shows what plays and routes the media keys to the player', () => {
    const { session, handlers, call } = fakeSession();
    const controls = { play: vi.fn(), pause: vi.fn(), seekBy: vi.fn(), seekTo: vi.fn(), next: vi.fn() };
    const unbind = bindMediaSession({ title: 'S01E02 · Pilot', artist: 'Breaking Bad', album: 'Season 1', artwork: 'https://img.test/p.jpg' }, controls, session as unknown as MediaSession);

    expect(session.metadata).toMatchObject({ title: 'S01E02 · Pilot', artist: 'Breaking Bad', album: 'Season 1', artwork: [{ src: 'https://img.test/p.jpg', type: 'image/jpeg' }] });
    call('play');
    call('pause');
    call('seekbackward', {});
    call('seekforward', { seekOffset: 30 });
    call('seekto', { seekTime: 125 });
    call('previoustrack');
    call('nexttrack');
    expect(controls.play).toHaveBeenCalledOnce();
    expect(controls.pause).toHaveBeenCalledOnce();
    expect(controls.seekBy.mock.calls).toEqual([[-10], [30]]);
    expect(controls.seekTo.mock.calls).toEqual([[125], [0]]);
    expect(controls.next).toHaveBeenCalledOnce();

    unbind();
    expect([...handlers.values()].every((h) => h === null)).toBe(true);
    expect(session.metadata).toBeNull();
  });

  it('offers no next track when the player knows none, and keeps the position state in range', () => {
    const { session, handlers } = fakeSession();
    bindMediaSession({ title: 'Heat' }, { play: vi.fn(), pause: vi.fn(), seekBy: vi.fn(), seekTo: vi.fn() }, session as unknown as MediaSession);
    expect(handlers.get('nexttrack')).toBeNull();

    syncPosition({ duration: 100, currentTime: 130, playbackRate: 1, paused: false }, session as unknown as MediaSession);
    expect(session.position).toEqual({ duration: 100, position: 100, playbackRate: 1 });
    expect(session.playbackState).toBe('playing');
    session.position = undefined;
    syncPosition({ duration: Number.NaN, currentTime: 3, playbackRate: 1, paused: true }, session as unknown as MediaSession);
    expect(session.position).toBeUndefined(); // no duration yet: nothing to tell
    expect(session.playbackState).toBe('paused');
  });

  it('names an episode by its show and a movie by its year', () => {
    const base = { id: 'x', fileName: 'f', matchState: 'matched' as const, posterUrl: 'https://img.test/p.jpg' };
    expect(nowPlaying({ ...base, title: 'Breaking Bad', media: { id: 1, mediaType: 'show', title: 'Breaking Bad' }, episode: { id: 2, season: 1, episode: 2, title: 'Pilot' } } as never)).toEqual({
      title: 'S01E02 · Pilot', artist: 'Breaking Bad', album: 'Season 1', artwork: 'https://img.test/p.jpg',
    });
    expect(nowPlaying({ ...base, title: 'Heat', year: 1995 } as never)).toEqual({ title: 'Heat', album: '1995', artwork: 'https://img.test/p.jpg' });
  });
});

describe('media session in the player', () => {
  const item = {
    id: 'e1', fileName: 'bb.s01e02.mp4', title: 'Breaking Bad', matchState: 'matched', container: 'mp4', videoCodec: 'h264',
    durationSeconds: 2880, posterUrl: 'https://img.test/bb.jpg', media: { id: 22, mediaType: 'show', title: 'Breaking Bad' },
    episode: { id: 202, season: 1, episode: 2, title: 'Cat’s in the Bag' },
  };
  const stream = {
    url: 'http://media.test/e1?sig=1', expiresAt: '2026-11-01T12:00:00Z', kind: 'original', mimeType: 'video/mp4', playable: true,
    subtitles: [], next: { libraryItemId: 'e2', episodeId: 203, season: 1, episode: 3, title: 'Next' },
  };

  beforeEach(() => {
    resetSessionForTests();
    playback.reload();
    vi.spyOn(HTMLMediaElement.prototype, 'play').mockResolvedValue(undefined);
    vi.spyOn(HTMLMediaElement.prototype, 'pause').mockImplementation(() => undefined);
  });
  afterEach(() => {
    clearSessionCookie();
    clearToasts();
  });

  it('the watch page fills the session and its next-track key opens the next episode', async () => {
    const { session, call } = fakeSession();
    Object.defineProperty(navigator, 'mediaSession', { configurable: true, value: session });
    fakeApi({
      'GET /api/v1/library/e1': () => jsonResponse(200, item),
      'GET /api/v1/library/e1/stream': () => jsonResponse(200, stream),
      'GET /api/v1/settings': () => jsonResponse(200, { autoplayNext: true, subtitleLanguage: null }),
    });
    try {
      window.history.replaceState(null, '', '/app/watch/e1');
      render(() => <App />);
      await screen.findByTestId('player-video', {}, { timeout: 15_000 });
      await waitFor(() => expect(session.metadata).toMatchObject({ title: 'S01E02 · Cat’s in the Bag', artist: 'Breaking Bad', artwork: [{ src: 'https://img.test/bb.jpg' }] }));
      call('nexttrack');
      await waitFor(() => expect(location.pathname).toBe('/app/watch/e2'));
    } finally {
      Reflect.deleteProperty(navigator, 'mediaSession');
    }
  });
});
