import { createRoot } from 'solid-js';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { PlaybackSession, PlayerStatus } from '../../api/player';
import { atParam, BEAT_BUFFERING_MS, BEAT_PLAYING_MS, createSessionBeats, stallSpot, switchNotice, switchOf } from './recovery';

function session(downloadId: string, more: Partial<PlaybackSession> = {}): PlaybackSession {
  return {
    sessionId: 's1', mediaId: 7, mode: 'download', streamUrl: `/api/v1/downloads/${downloadId}/stream?session=s1`,
    file: { downloadId, libraryItemId: null, fileIndex: null }, positionSeconds: 754.3, buffering: true,
    stallSwitchSeconds: 5, switches: [], createdAt: '2026-11-26T09:00:00Z', updatedAt: '2026-11-26T09:00:00Z',
    ...more,
  } as PlaybackSession;
}

const SWITCHED = session('job-b', {
  switches: [{ at: '2026-11-26T09:01:00Z', fromPickId: 'p1', toPickId: 'p2', release: 'Film.720p.HDTV-GRP', reason: 'switched: the stream stalled 5 s at 12:34', positionSeconds: 754.2 }],
});

describe('switchOf', () => {
  it('is nothing while the session plays the same download', () => {
    expect(switchOf(session('job-a'), 'job-a')).toBeUndefined();
    expect(switchOf(session('job-a', { mode: 'library', file: { libraryItemId: 'i1' } }), 'job-a')).toBeUndefined();
  });

  it('names the download, the second and the release of the last switch', () => {
    expect(switchOf(SWITCHED, 'job-a')).toEqual({ downloadId: 'job-b', atSeconds: 754.2, release: 'Film.720p.HDTV-GRP', reason: 'switched: the stream stalled 5 s at 12:34' });
    expect(switchNotice('Film.720p.HDTV-GRP')).toBe('Switched to Film.720p.HDTV-GRP — the previous one stalled');
  });
});

describe('atParam', () => {
  it('reads a positive second and ignores anything else', () => {
    expect(atParam('754.2')).toBe(754.2);
    expect(atParam(['12'])).toBe(12);
    for (const raw of [undefined, '', '0', '-3', 'soon', 'Infinity']) expect(atParam(raw)).toBeUndefined();
  });
});

describe('stallSpot', () => {
  it('keeps the spot where a wait began while it lasts, and follows the player otherwise', () => {
    const waiting = { positionSeconds: 754.2, buffering: true, playing: true };
    expect(stallSpot(waiting, { positionSeconds: 0, buffering: true, playing: true })).toEqual(waiting); // a reload mid-stall
    expect(stallSpot(waiting, { positionSeconds: 756, buffering: false, playing: true }).positionSeconds).toBe(756);
    expect(stallSpot({ ...waiting, buffering: false }, { positionSeconds: 760, buffering: true, playing: true }).positionSeconds).toBe(760);
    expect(stallSpot(undefined, waiting)).toEqual(waiting);
  });
});

describe('session heartbeats', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  function beats(answer: (id: string) => PlaybackSession, initial?: PlayerStatus) {
    let status = initial;
    let playing = 'job-a';
    const send = vi.fn((_id: string, _beat: { positionSeconds: number; buffering: boolean }) => Promise.resolve(answer(playing)));
    const onSwitch = vi.fn();
    let dispose!: () => void;
    const api = createRoot((done) => {
      dispose = done;
      return createSessionBeats({ sessionId: () => 's1', downloadId: () => playing, fileIndex: () => 0, status: () => status, send, onSwitch });
    });
    return {
      send, onSwitch, dispose, api,
      set(next: PlayerStatus) {
        status = next;
        api.nudge();
      },
      moveTo(id: string) {
        playing = id;
        api.reset();
      },
    };
  }

  it('beats rarely while playing, at once when the video starts waiting, then often', async () => {
    const t = beats((id) => session(id), { positionSeconds: 10, buffering: false, playing: true });
    await vi.advanceTimersByTimeAsync(BEAT_PLAYING_MS);
    expect(t.send).toHaveBeenCalledTimes(1);
    t.set({ positionSeconds: 12, buffering: true, playing: true });
    await vi.advanceTimersByTimeAsync(0);
    expect(t.send).toHaveBeenCalledTimes(2);
    expect(t.send).toHaveBeenLastCalledWith('s1', { positionSeconds: 12, buffering: true, fileIndex: 0 });
    await vi.advanceTimersByTimeAsync(BEAT_BUFFERING_MS * 3);
    expect(t.send).toHaveBeenCalledTimes(5);
    expect(t.onSwitch).not.toHaveBeenCalled();
    t.dispose();
  });

  it('sends nothing while paused', async () => {
    const t = beats((id) => session(id), { positionSeconds: 10, buffering: false, playing: false });
    await vi.advanceTimersByTimeAsync(BEAT_PLAYING_MS * 3);
    expect(t.send).not.toHaveBeenCalled();
    t.dispose();
  });

  it('hands a switch to the page once, then beats for the new download', async () => {
    const t = beats((id) => (id === 'job-a' ? SWITCHED : session(id)), { positionSeconds: 754.2, buffering: true, playing: true });
    await vi.advanceTimersByTimeAsync(BEAT_BUFFERING_MS);
    expect(t.onSwitch).toHaveBeenCalledOnce();
    expect(t.onSwitch).toHaveBeenCalledWith(expect.objectContaining({ downloadId: 'job-b', atSeconds: 754.2 }));
    await vi.advanceTimersByTimeAsync(BEAT_BUFFERING_MS * 3);
    expect(t.send).toHaveBeenCalledTimes(1); // the page is moving on: no beat for the stalled download
    t.moveTo('job-b');
    await vi.advanceTimersByTimeAsync(BEAT_BUFFERING_MS);
    expect(t.send).toHaveBeenCalledTimes(2);
    expect(t.onSwitch).toHaveBeenCalledOnce();
    t.dispose();
  });

  it('keeps beating after a failed heartbeat', async () => {
    let calls = 0;
    const t = beats((id) => {
      calls += 1;
      if (calls === 1) throw new Error('offline');
      return session(id);
    }, { positionSeconds: 5, buffering: true, playing: true });
    await vi.advanceTimersByTimeAsync(BEAT_BUFFERING_MS * 2);
    expect(t.send).toHaveBeenCalledTimes(2);
    t.dispose();
  });
});
