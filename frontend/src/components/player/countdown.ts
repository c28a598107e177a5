/** The "next episode in 10 s" countdown: ticks once a second, can be cancelled or skipped. */
export interface Countdown {
  start(): void;
  cancel(): void;
  /** Ends the countdown now, as if it had run out (the "Play now" button). */
  finish(): void;
  remaining(): number;
  running(): boolean;
}

export interface CountdownOptions {
  seconds: number;
  onTick?: (remaining: number) => void;
  onDone: () => void;
}

export const UP_NEXT_SECONDS = 10;

export function createCountdown(options: CountdownOptions): Countdown {
  let remaining = options.seconds;
  let timer: ReturnType<typeof setInterval> | undefined;
  let done = false;

  const stop = () => {
    clearInterval(timer);
    timer = undefined;
  };
  const finish = () => {
    if (done) return;
    done = true;
    stop();
    remaining = 0;
    options.onDone();
  };
  const tick = () => {
    remaining -= 1;
    options.onTick?.(remaining);
    if (remaining <= 0) finish();
  };

  return {
    start() {
      if (timer !== undefined || done) return;
      options.onTick?.(remaining);
      timer = setInterval(tick, 1000);
    },
    cancel() {
      done = true; // a cancelled countdown never fires, even if started again
      stop();
    },
    finish,
    remaining: () => remaining,
    running: () => timer !== undefined,
  };
}
