import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { watchStalls } from './media';

describe('stall watch', () => {
  let video: HTMLVideoElement;
  const fire = (type: string) => video.dispatchEvent(new Event(type));
  beforeEach(() => {
    vi.useFakeTimers();
    video = document.createElement('video');
  });
  afterEach(() => vi.useRealTimers());

  it('reports a wait with no byte arriving for the whole period', () => {
    const onStall = vi.fn();
    watchStalls(video, 15_000, onStall);
    fire('waiting');
    vi.advanceTimersByTime(14_999);
    expect(onStall).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(onStall).toHaveBeenCalledOnce();
  });

  it('lets a slow source that still sends bytes wait, and forgets a wait that ended', () => {
    const onStall = vi.fn();
    const stop = watchStalls(video, 15_000, onStall);
    fire('progress'); // bytes while playing arm nothing
    vi.advanceTimersByTime(20_000);
    fire('waiting');
    for (let i = 0; i < 5; i += 1) {
      vi.advanceTimersByTime(10_000);
      fire('progress');
    }
    fire('playing');
    vi.advanceTimersByTime(60_000);
    fire('waiting');
    fire('pause'); // the viewer paused: waiting for data is not a stall
    vi.advanceTimersByTime(60_000);
    fire('waiting');
    stop();
    vi.advanceTimersByTime(60_000);
    expect(onStall).not.toHaveBeenCalled();
  });
});
