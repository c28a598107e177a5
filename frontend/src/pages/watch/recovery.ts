/**
 * The player pages' playback session (issue 37): the device caps it is opened with, heartbeats (position, and
 * whether the video waits for data) and what their answers mean. A library file's session only records where
 * the viewer is (what `/resume` answers). A download's can also switch: when its stream stalled at one spot
 * longer than the viewer's setting, the server moves the session to the next release that fits; the page then
 * plays that download from the same second.
 */
import { createSignal, onCleanup } from 'solid-js';
import type { PlaybackSession, PlayerStatus } from '../../api/player';
import { probeDeviceCaps, type DeviceCaps } from '../../components/player/deviceCaps';

/** A probe that named no codec: the server ranks for no device in particular. */
const NO_CAPS: DeviceCaps = { video: [], audio: [], hdr: false, maxHeight: null };

/** What a session is opened with: what this device decodes, as the player probes it. */
export const sessionCaps = (): DeviceCaps => probeDeviceCaps() ?? NO_CAPS;

/** Between two heartbeats: often while the video waits (the stall is timed by the server), rarely otherwise. */
export const BEAT_BUFFERING_MS = 2000;
export const BEAT_PLAYING_MS = 10_000;

export const beatDelay = (buffering: boolean) => (buffering ? BEAT_BUFFERING_MS : BEAT_PLAYING_MS);

/** A heartbeat's answer moved the session to another download: play it from `atSeconds`. */
export interface SessionSwitchTurn {
  downloadId: string;
  atSeconds: number;
  release: string;
  reason: string;
}

/** The switch the answer carries, or undefined when the session still plays `playingDownloadId`. */
export function switchOf(answer: PlaybackSession, playingDownloadId: string): SessionSwitchTurn | undefined {
  const downloadId = answer.file.downloadId;
  if (answer.mode !== 'download' || !downloadId || downloadId === playingDownloadId) return undefined;
  const last = answer.switches?.[answer.switches.length - 1];
  return {
    downloadId,
    atSeconds: last?.positionSeconds ?? answer.positionSeconds,
    release: last?.release ?? answer.pick?.name ?? 'another release',
    reason: last?.reason ?? '',
  };
}

/** The notice shown when the player moved on: which release plays now, and why. */
export const switchNotice = (release: string) => `Switched to ${release} — the previous one stalled`;

/**
 * The status a heartbeat reports: while the video keeps waiting, the spot where the wait began. A player that
 * reloads its stream mid-stall passes through 0 before it seeks back, and the server times a stall per spot.
 */
export function stallSpot(prev: PlayerStatus | undefined, next: PlayerStatus): PlayerStatus {
  return prev?.buffering && next.buffering ? { ...next, positionSeconds: prev.positionSeconds } : next;
}

/** `?at=754.2` -> 754.2 (where a switched session continues); anything else -> undefined. */
export function atParam(raw: string | string[] | undefined): number | undefined {
  const value = Number(Array.isArray(raw) ? raw[0] : raw);
  return raw !== undefined && raw !== '' && Number.isFinite(value) && value > 0 ? value : undefined;
}

export interface SessionBeatOptions {
  /** The session, once it exists (no heartbeat before). */
  sessionId: () => string | undefined;
  /** The download the page plays now; a library file's page has none (its session never switches). */
  downloadId?: () => string;
  /** The file of it that plays, once the stream answer named it. */
  fileIndex: () => number | undefined;
  /** The player's latest status; undefined before it reported any. */
  status: () => PlayerStatus | undefined;
  send: (sessionId: string, beat: { positionSeconds: number; buffering: boolean; fileIndex?: number | null }) => Promise<PlaybackSession>;
  /** The session moved to another download (a download's page only). */
  onSwitch?: (turn: SessionSwitchTurn) => void;
  /** Timers, for tests. */
  setTimer?: (fn: () => void, ms: number) => ReturnType<typeof setTimeout>;
  clearTimer?: (timer: ReturnType<typeof setTimeout>) => void;
}

/**
 * Heartbeats while the page lives: one at once when the video starts waiting (the stall's start), then every
 * BEAT_BUFFERING_MS while it waits and every BEAT_PLAYING_MS while it plays; none while paused or before the
 * session exists. One at a time; a failed one is just the next one's job. Returns `nudge`: call it when the
 * status changed (it sends at once when the video just started waiting).
 */
export function createSessionBeats(options: SessionBeatOptions) {
  const setTimer = options.setTimer ?? ((fn, ms) => setTimeout(fn, ms));
  const clearTimer = options.clearTimer ?? ((timer) => clearTimeout(timer));
  let timer: ReturnType<typeof setTimeout> | undefined;
  let sending = false;
  let wasBuffering = false;
  let switched = false;

  const schedule = () => {
    if (timer !== undefined) clearTimer(timer);
    timer = setTimer(() => void beat(), beatDelay(options.status()?.buffering ?? false));
  };

  const beat = async () => {
    const id = options.sessionId();
    const status = options.status();
    if (!id || !status || sending || switched || !(status.playing || status.buffering)) return schedule();
    sending = true;
    const playing = options.downloadId?.();
    try {
      const answer = await options.send(id, { positionSeconds: status.positionSeconds, buffering: status.buffering, fileIndex: options.fileIndex() });
      const turn = playing === undefined ? undefined : switchOf(answer, playing);
      if (turn && options.onSwitch && playing === options.downloadId?.()) {
        switched = true; // the page moves to the new download; this page's beats end here
        options.onSwitch(turn);
      }
    } catch {
      // the next heartbeat carries the same news
    } finally {
      sending = false;
    }
    if (!switched) schedule();
  };

  schedule();
  onCleanup(() => timer !== undefined && clearTimer(timer));

  return {
    nudge() {
      const buffering = options.status()?.buffering ?? false;
      const started = buffering && !wasBuffering;
      wasBuffering = buffering;
      if (started) void beat();
    },
    /** A new download plays (after a switch): heartbeats go on for it. */
    reset() {
      switched = false;
      wasBuffering = false;
      schedule();
    },
  };
}

/**
 * Heartbeats fed by the player: `onStatus` takes each status the player reports (keeping the spot a wait
 * began, see stallSpot) and sends at once when the video starts waiting.
 */
export function createPlayerBeats(options: Omit<SessionBeatOptions, 'status'>) {
  const [status, setStatus] = createSignal<PlayerStatus>();
  const beats = createSessionBeats({ ...options, status });
  return {
    ...beats,
    onStatus(next: PlayerStatus) {
      setStatus((prev) => stallSpot(prev, next));
      beats.nudge();
    },
  };
}
