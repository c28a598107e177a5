import { afterEach, describe, expect, it, vi } from 'vitest';
import { createDebouncedSave, cueShift, formatOffset, shiftCues, stepOffset, syncText } from './subtitleSync';

describe('subtitle offset steps', () => {
  it('moves by 0.1 s on the grid, free of float drift, within a minute either way', () => {
    expect(stepOffset(0, 1)).toBe(0.1);
    expect(stepOffset(0.2, 1)).toBe(0.3); // not 0.30000000000000004
    expect(stepOffset(0.1, -1)).toBe(0);
    expect(Object.is(stepOffset(0.1, -1), -0)).toBe(false);
    expect(stepOffset(-1.2, -1)).toBe(-1.3);
    expect(stepOffset(60, 1)).toBe(60);
    expect(stepOffset(-60, -1)).toBe(-60);
  });

  it('reads as a signed number of seconds', () => {
    expect(formatOffset(0.3)).toBe('+0.3 s');
    expect(formatOffset(-1.2)).toBe('−1.2 s');
    expect(formatOffset(0)).toBe('0.0 s');
  });
});

describe('auto-sync', () => {
  it('says where the sync is', () => {
    expect(syncText(null)).toBeNull();
    expect(syncText({ status: 'queued' })).toBe('Auto-sync queued…');
    expect(syncText({ status: 'done', offsetSeconds: -2.5 })).toBe('Synced (−2.5 s)');
    expect(syncText({ status: 'failed', error: 'no speech heard in the audio' })).toBe('Auto-sync failed: no speech heard in the audio');
  });

  it('adds the offset found only to a track loaded before the sync finished', () => {
    const done = { status: 'done' as const, offsetSeconds: -2.5 };
    expect(cueShift({ synced: false }, 0.3, done)).toBe(-2.2);
    expect(cueShift({ synced: true }, 0.3, done)).toBe(0.3); // the served track is the synced one
    expect(cueShift({ synced: false }, 0.3, { status: 'running' })).toBe(0.3);
  });
});

describe('shifting cues', () => {
  it('moves every cue from its own times, so offsets never add up', () => {
    const cues = [{ startTime: 1, endTime: 2 }, { startTime: 5, endTime: 7 }] as unknown as TextTrackCue[];
    const track = { cues: Object.assign(cues, { length: 2 }) } as unknown as TextTrack;
    shiftCues(track, 0.5);
    shiftCues(track, 0.5);
    expect(cues.map((c) => [c.startTime, c.endTime])).toEqual([[1.5, 2.5], [5.5, 7.5]]);
    shiftCues(track, -1.5);
    expect(cues.map((c) => [c.startTime, c.endTime])).toEqual([[0, 0.5], [3.5, 5.5]]);
    shiftCues(undefined, 1); // no track showing: nothing to do
  });
});

describe('saving with a debounce', () => {
  afterEach(() => vi.useRealTimers());

  it('saves the last value once the steps stop, and a pending one when flushed', async () => {
    vi.useFakeTimers();
    const saved: number[] = [];
    const saver = createDebouncedSave((value: number) => Promise.resolve(saved.push(value)), 700);
    saver.schedule(0.1);
    saver.schedule(0.2);
    vi.advanceTimersByTime(699);
    expect(saved).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(saved).toEqual([0.2]);
    saver.schedule(0.3);
    saver.flush();
    expect(saved).toEqual([0.2, 0.3]);
    saver.flush(); // nothing pending: nothing saved twice
    expect(saved).toEqual([0.2, 0.3]);
  });
});
