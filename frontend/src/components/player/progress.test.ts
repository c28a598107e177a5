import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createProgressReporter, type ProgressSample } from './progress';

let position = 0;
let sent: { sample: ProgressSample; keepalive: boolean }[] = [];

function reporter(send = async () => undefined, onError?: (error: unknown) => void) {
  return createProgressReporter({
    read: () => ({ positionSeconds: position, durationSeconds: 1200 }),
    send: (sample, options) => {
      sent.push({ sample, keepalive: options.keepalive });
      return send();
    },
    onError,
  });
}

beforeEach(() => {
  vi.useFakeTimers();
  position = 0;
  sent = [];
});
afterEach(() => vi.useRealTimers());

describe('progress reporter', () => {
  it('reports every 10 s while playing and stops when paused', () => {
    const r = reporter();
    r.playing();
    position = 9;
    vi.advanceTimersByTime(9_999);
    expect(sent).toHaveLength(0);
    position = 10;
    vi.advanceTimersByTime(1);
    expect(sent.map((s) => s.sample.positionSeconds)).toEqual([10]);
    position = 20;
    vi.advanceTimersByTime(10_000);
    expect(sent.map((s) => s.sample.positionSeconds)).toEqual([10, 20]);

    position = 23;
    r.paused(); // at once, not at the next tick
    expect(sent.map((s) => s.sample.positionSeconds)).toEqual([10, 20, 23]);
    position = 40;
    vi.advanceTimersByTime(60_000);
    expect(sent).toHaveLength(3);
  });

  it('does not start a second timer when playing fires twice', () => {
    const r = reporter();
    r.playing();
    r.playing();
    position = 10;
    vi.advanceTimersByTime(10_000);
    expect(sent).toHaveLength(1);
  });

  it('reports on seek, and with keepalive on page hide', () => {
    const r = reporter();
    position = 300;
    r.seeked();
    position = 305;
    r.hidden();
    expect(sent).toEqual([
      { sample: { positionSeconds: 300, durationSeconds: 1200 }, keepalive: false },
      { sample: { positionSeconds: 305, durationSeconds: 1200 }, keepalive: true },
    ]);
  });

  it('drops a report identical to the last one (pagehide after visibilitychange)', () => {
    const r = reporter();
    position = 42;
    r.hidden();
    r.hidden();
    expect(sent).toHaveLength(1);
  });

  it('sends the same position again after a failed report', async () => {
    const errors: unknown[] = [];
    const r = reporter(() => Promise.reject(new Error('offline')), (e) => errors.push(e));
    position = 42;
    r.paused();
    await vi.runAllTimersAsync();
    r.paused();
    await vi.runAllTimersAsync();
    expect(sent).toHaveLength(2);
    expect(errors).toHaveLength(2);
  });

  it('says nothing while the duration is unknown', () => {
    const r = createProgressReporter({
      read: () => ({ positionSeconds: 5, durationSeconds: Number.NaN }),
      send: async (sample) => sent.push({ sample, keepalive: false }),
    });
    r.paused();
    expect(sent).toHaveLength(0);
  });

  it('stops the timer on dispose', () => {
    const r = reporter();
    r.playing();
    r.dispose();
    position = 10;
    vi.advanceTimersByTime(30_000);
    expect(sent).toHaveLength(0);
  });
});
