/**
 * When the player tells the API where the viewer is: every `intervalMs` while
 * playing, and at once on pause, seek, end and page hide. The page-hide report
 * goes out with `keepalive` so it survives the tab closing. Identical reports
 * in a row are dropped (pagehide and visibilitychange both fire on close).
 */
export interface ProgressSample {
  positionSeconds: number;
  durationSeconds: number;
}

export interface ProgressReporterOptions {
  /** The current position, or undefined while it cannot be reported (duration unknown). */
  read: () => ProgressSample | undefined;
  send: (sample: ProgressSample, options: { keepalive: boolean }) => Promise<unknown>;
  onError?: (error: unknown) => void;
  intervalMs?: number;
}

export interface ProgressReporter {
  playing(): void;
  paused(): void;
  seeked(): void;
  ended(): void;
  hidden(): void;
  dispose(): void;
}

export const PROGRESS_INTERVAL_MS = 10_000;

const sameSample = (a: ProgressSample | undefined, b: ProgressSample) =>
  a !== undefined && Math.abs(a.positionSeconds - b.positionSeconds) < 0.5 && a.durationSeconds === b.durationSeconds;

export function createProgressReporter(options: ProgressReporterOptions): ProgressReporter {
  const every = options.intervalMs ?? PROGRESS_INTERVAL_MS;
  let timer: ReturnType<typeof setInterval> | undefined;
  let last: ProgressSample | undefined;

  const report = (keepalive = false) => {
    const sample = options.read();
    if (!sample || !(sample.durationSeconds > 0) || sameSample(last, sample)) return;
    last = sample;
    options.send(sample, { keepalive }).catch((error: unknown) => {
      last = undefined; // the server did not store it: the next report must not be skipped as a duplicate
      options.onError?.(error);
    });
  };
  const stop = () => {
    clearInterval(timer);
    timer = undefined;
  };

  return {
    playing() {
      if (timer === undefined) timer = setInterval(() => report(), every);
    },
    paused() {
      stop();
      report();
    },
    seeked: () => report(),
    ended() {
      stop();
      report();
    },
    hidden: () => report(true),
    dispose: stop,
  };
}
