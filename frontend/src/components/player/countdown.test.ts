import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createCountdown } from './countdown';

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

describe('up-next countdown', () => {
  it('ticks down once a second and fires when it reaches zero', () => {
    const ticks: number[] = [];
    const onDone = vi.fn();
    const countdown = createCountdown({ seconds: 3, onTick: (n) => ticks.push(n), onDone });
    countdown.start();
    expect(ticks).toEqual([3]);
    vi.advanceTimersByTime(2_000);
    expect(ticks).toEqual([3, 2, 1]);
    expect(onDone).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1_000);
    expect(ticks).toEqual([3, 2, 1, 0]);
    expect(onDone).toHaveBeenCalledTimes(1);
    expect(countdown.running()).toBe(false);
    vi.advanceTimersByTime(5_000);
    expect(onDone).toHaveBeenCalledTimes(1);
  });

  it('never fires once cancelled, even when started again', () => {
    const onDone = vi.fn();
    const countdown = createCountdown({ seconds: 2, onDone });
    countdown.start();
    vi.advanceTimersByTime(1_000);
    countdown.cancel();
    countdown.start();
    vi.advanceTimersByTime(10_000);
    expect(onDone).not.toHaveBeenCalled();
    expect(countdown.remaining()).toBe(1);
  });

  it('finishes at once on "play now", and only once', () => {
    const onDone = vi.fn();
    const countdown = createCountdown({ seconds: 10, onDone });
    countdown.start();
    countdown.finish();
    vi.advanceTimersByTime(20_000);
    expect(onDone).toHaveBeenCalledTimes(1);
    expect(countdown.remaining()).toBe(0);
  });
});
