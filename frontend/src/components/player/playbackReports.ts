import { reportPlayback } from '../../api/metrics';

/**
 * What one player tells the server's metrics (POST /api/v1/playback/events, fire and forget): the time from
 * the player's start to its first frame, each stall after that, and whether it resumed at the stored position.
 */
export function createPlaybackReports(resumeAt: number | undefined, now: () => number = () => performance.now()) {
  const startedAt = now();
  let started = false;
  return {
    /** The video played a frame: the first time, its start-up time (and a resume that held). */
    playing(position: number) {
      if (started) return;
      started = true;
      reportPlayback({ kind: 'first_byte', ms: Math.max(0, Math.round(now() - startedAt)) });
      if (resumeAt !== undefined && Math.abs(position - resumeAt) <= 5) reportPlayback({ kind: 'resume_ok' });
    },
    /** The video waits for data: a stall once it has played (waiting before the first frame is start-up). */
    waiting() {
      if (started) reportPlayback({ kind: 'buffer' });
    },
  };
}

/** The player moved on to the next mode (direct → remux → HLS) because this one did not play. */
export const reportFallback = () => reportPlayback({ kind: 'fallback' });
