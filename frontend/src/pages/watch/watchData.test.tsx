import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { PlayerStatus } from '../../api/player';
import { resetSessionForTests } from '../../stores/session';
import { clearToasts, toasts } from '../../stores/toasts';
import { clearSessionCookie, fakeApi, jsonResponse, recordRequests, type Route } from '../../test/fakes';
import { renderWithQuery } from '../../test/query';
import { BEAT_PLAYING_MS } from './recovery';
import { createWatch } from './watchData';

// The library player's data part under the app's query client, against a fake API: what it asks for and sends.
const SESSION = '5e55e55e-0000-4000-8000-000000000001';
const item = {
  id: 'e1', fileName: 'bb.s01e02.mp4', title: 'Breaking Bad', matchState: 'matched', container: 'mp4', videoCodec: 'h264',
  durationSeconds: 2880, sizeBytes: 1, storageKey: 'k', createdAt: '2026-11-01T10:00:00Z', indexedAt: '2026-11-01T10:00:00Z',
  media: { id: 22, mediaType: 'show', title: 'Breaking Bad' }, episode: { id: 202, season: 1, episode: 2, title: 'Cat’s in the Bag' },
};
const stream = { url: 'http://media.test/e1?sig=1', expiresAt: '2026-11-01T12:00:00Z', kind: 'original', mimeType: 'video/mp4', playable: true, subtitles: [] };
const session = {
  sessionId: SESSION, mediaId: 22, season: 1, episode: 2, mode: 'library', streamUrl: `/api/v1/library/e1/stream?session=${SESSION}`,
  file: { libraryItemId: 'e1', downloadId: null, fileIndex: null }, positionSeconds: 0, buffering: false, stallSwitchSeconds: 15,
  switches: [], createdAt: '2026-11-26T09:00:00Z', updatedAt: '2026-11-26T09:00:00Z',
};
const PLAYING: PlayerStatus = { positionSeconds: 61.25, buffering: false, playing: true };

function api(overrides: { item?: object; start?: Route } = {}) {
  const { routes, sent } = recordRequests({
    'POST /api/v1/playback/sessions': overrides.start ?? (() => jsonResponse(201, session)),
    [`POST /api/v1/playback/sessions/${SESSION}/heartbeat`]: () => jsonResponse(200, session),
  });
  fakeApi({
    'GET /api/v1/library/e1': () => jsonResponse(200, overrides.item ?? item),
    'GET /api/v1/library/e1/stream': () => jsonResponse(200, stream),
    'GET /api/v1/settings': () => jsonResponse(200, { autoplayNext: true }),
    ...routes,
  });
  return sent;
}

/** The page's data for file e1, once its file and stream are there. */
async function openWatch() {
  let watch!: ReturnType<typeof createWatch>;
  function Page() {
    watch = createWatch(() => 'e1');
    return null;
  }
  renderWithQuery(() => <Page />);
  await vi.waitFor(() => expect(watch.current()?.stream.url).toBe(stream.url));
  return watch;
}

beforeEach(() => {
  resetSessionForTests();
  vi.useFakeTimers({ shouldAdvanceTime: true });
});
afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllGlobals();
  clearSessionCookie();
  clearToasts();
});

describe('the library player’s playback session', () => {
  it('opens a library session for the file, with its episode and the device’s caps, and beats while it plays', async () => {
    const sent = api();
    const watch = await openWatch();
    await vi.waitFor(() => expect(sent.map((s) => s.path)).toContain('/api/v1/playback/sessions'));
    expect(sent[0]!.body).toEqual({
      mediaId: 22, season: 1, episode: 2, libraryItemId: 'e1',
      deviceCaps: { video: expect.any(Array), audio: expect.any(Array), hdr: expect.any(Boolean), maxHeight: null },
    });

    watch.onStatus(PLAYING);
    await vi.advanceTimersByTimeAsync(BEAT_PLAYING_MS);
    expect(sent.slice(1)).toEqual([{ method: 'POST', path: `/api/v1/playback/sessions/${SESSION}/heartbeat`, body: { positionSeconds: 61.3, buffering: false } }]);

    watch.onStatus({ ...PLAYING, playing: false }); // paused: nothing to report
    await vi.advanceTimersByTimeAsync(BEAT_PLAYING_MS * 2);
    expect(sent).toHaveLength(2);
  });

  it('keeps playing, and quiet, when the session cannot be opened', async () => {
    const sent = api({ start: () => jsonResponse(500, { error: { code: 'internal', message: 'boom' } }) });
    const watch = await openWatch();
    await vi.waitFor(() => expect(sent).toHaveLength(1));
    watch.onStatus(PLAYING);
    await vi.advanceTimersByTimeAsync(BEAT_PLAYING_MS * 2);
    expect(sent).toHaveLength(1); // no second try, and no heartbeat without a session
    expect(watch.current()?.stream.url).toBe(stream.url);
    expect(watch.failed()).toBeUndefined();
    expect(watch.stopped()).toBeUndefined();
    expect(toasts()).toEqual([]);
  });

  it('opens none for a file not matched to a title', async () => {
    const sent = api({ item: { ...item, matchState: 'unmatched', media: null, episode: null } });
    const watch = await openWatch();
    watch.onStatus(PLAYING);
    await vi.advanceTimersByTimeAsync(BEAT_PLAYING_MS * 2);
    expect(sent).toEqual([]);
  });
});
