/**
 * Subtitles in sync: the viewer's own offset (−/+ 0.1 s, G/H as in VLC) applied live to the rendered cues,
 * and what the menu says of a track's auto-sync. The offset moves every cue of the showing track by the
 * same amount; the cues' own times are kept aside, so offsets never add up.
 */
import type { Subtitle } from '../../api/player';

export const OFFSET_STEP = 0.1;
export const MAX_OFFSET = 60;
/** How long the offset waits after the last step before it is saved. */
export const SAVE_DELAY_MS = 700;

export type SyncState = NonNullable<Subtitle['sync']>;

/** One step earlier (-1) or later (+1), on the 0.1 s grid and within a minute either way. */
export function stepOffset(current: number, direction: 1 | -1): number {
  const next = Math.round((current + direction * OFFSET_STEP) * 10) / 10;
  return Math.min(MAX_OFFSET, Math.max(-MAX_OFFSET, next)) || 0; // no -0
}

/** "+0.3 s", "−1.2 s", "0.0 s". */
export function formatOffset(seconds: number): string {
  const sign = seconds > 0 ? '+' : seconds < 0 ? '−' : '';
  return `${sign}${Math.abs(seconds).toFixed(1)} s`;
}

/** What the menu says of a track's auto-sync; null before one was asked for. */
export function syncText(sync: SyncState | null | undefined): string | null {
  if (!sync) return null;
  if (sync.status === 'queued') return 'Auto-sync queued…';
  if (sync.status === 'running') return 'Syncing to the audio…';
  if (sync.status === 'done') return `Synced (${formatOffset(sync.offsetSeconds ?? 0)})`;
  return `Auto-sync failed${sync.error ? `: ${sync.error}` : ''}`;
}

export const syncPending = (sync: SyncState | null | undefined) => sync?.status === 'queued' || sync?.status === 'running';

/**
 * The shift to apply to a track's cues: the viewer's offset, plus an auto-sync that finished while this
 * track was loaded unsynced (the stream serves the synced file from the next load on, `synced`).
 */
export function cueShift(track: Pick<Subtitle, 'synced'>, offset: number, sync: SyncState | null | undefined): number {
  const found = sync?.status === 'done' && !track.synced ? (sync.offsetSeconds ?? 0) : 0;
  return Math.round((offset + found) * 1000) / 1000;
}

interface CueTimes {
  start: number;
  end: number;
}

const original = new WeakMap<TextTrackCue, CueTimes>();

/** Move every loaded cue of `track` by `seconds` from its own times (a cue never starts before 0). */
export function shiftCues(track: TextTrack | null | undefined, seconds: number): void {
  const cues = track?.cues;
  if (!cues) return;
  for (let i = 0; i < cues.length; i += 1) {
    const cue = cues[i];
    if (!cue) continue;
    let times = original.get(cue);
    if (!times) {
      times = { start: cue.startTime, end: cue.endTime };
      original.set(cue, times);
    }
    cue.startTime = Math.max(0, times.start + seconds);
    cue.endTime = Math.max(cue.startTime, times.end + seconds);
  }
}

/** Saves the latest value `delay` ms after the last change; `flush` saves a pending one now (leaving). */
export function createDebouncedSave<T>(save: (value: T) => Promise<unknown>, delay = SAVE_DELAY_MS,
  onError?: (error: unknown) => void) {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let pending: { value: T } | undefined;
  const run = () => {
    timer = undefined;
    if (!pending) return;
    const { value } = pending;
    pending = undefined;
    save(value).catch((error) => onError?.(error));
  };
  return {
    schedule(value: T) {
      pending = { value };
      clearTimeout(timer);
      timer = setTimeout(run, delay);
    },
    flush() {
      clearTimeout(timer);
      run();
    },
  };
}
