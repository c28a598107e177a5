/**
 * The Media Session API: what is playing on the lock screen, in the OS media
 * controls and on headset buttons, and what those buttons do. Absent (older
 * browsers, jsdom) it is simply not used.
 */

export interface NowPlaying {
  /** The movie, or the episode ("Pilot" / "S01E01"). */
  title: string;
  /** The show an episode belongs to (movies: empty). */
  artist?: string;
  /** "Season 1", or the year. */
  album?: string;
  /** The poster. */
  artwork?: string | null;
}

export interface SessionControls {
  play: () => void;
  pause: () => void;
  /** Seeks by a signed number of seconds. */
  seekBy: (seconds: number) => void;
  seekTo: (seconds: number) => void;
  /** The next episode, when the player knows one. */
  next?: () => void;
}

const DEFAULT_SKIP = 10;

const guessType = (url: string) => (/\.png(\?|$)/i.test(url) ? 'image/png' : /\.webp(\?|$)/i.test(url) ? 'image/webp' : 'image/jpeg');

function metadataFor(info: NowPlaying): MediaMetadata | null {
  if (typeof MediaMetadata === 'undefined') return null;
  return new MediaMetadata({
    title: info.title,
    artist: info.artist ?? '',
    album: info.album ?? '',
    artwork: info.artwork ? [{ src: info.artwork, type: guessType(info.artwork) }] : [],
  });
}

function setHandler(session: MediaSession, action: MediaSessionAction, handler: MediaSessionActionHandler | null) {
  try {
    session.setActionHandler(action, handler);
  } catch {
    // this browser does not know the action: its button simply does nothing
  }
}

/**
 * Shows `info` as now playing and routes the media keys to `controls`;
 * returns the function that hands the session back (on unmount).
 */
export function bindMediaSession(
  info: NowPlaying,
  controls: SessionControls,
  session: MediaSession | undefined = typeof navigator === 'undefined' ? undefined : navigator.mediaSession,
): () => void {
  if (!session) return () => undefined;
  session.metadata = metadataFor(info);
  const handlers: [MediaSessionAction, MediaSessionActionHandler | null][] = [
    ['play', () => controls.play()],
    ['pause', () => controls.pause()],
    ['seekbackward', (d) => controls.seekBy(-(d.seekOffset ?? DEFAULT_SKIP))],
    ['seekforward', (d) => controls.seekBy(d.seekOffset ?? DEFAULT_SKIP)],
    ['seekto', (d) => d.seekTime != null && controls.seekTo(d.seekTime)],
    ['previoustrack', () => controls.seekTo(0)],
    ['nexttrack', controls.next ? () => controls.next?.() : null],
  ];
  for (const [action, handler] of handlers) setHandler(session, action, handler);
  return () => {
    for (const [action] of handlers) setHandler(session, action, null);
    session.metadata = null;
    session.playbackState = 'none';
  };
}

/** Keeps the OS scrubber in step with the video (called on play, pause, seek, duration and rate changes). */
export function syncPosition(
  video: Pick<HTMLVideoElement, 'duration' | 'currentTime' | 'playbackRate' | 'paused'>,
  session: MediaSession | undefined = typeof navigator === 'undefined' ? undefined : navigator.mediaSession,
) {
  if (!session) return;
  session.playbackState = video.paused ? 'paused' : 'playing';
  const duration = video.duration;
  if (!session.setPositionState || !Number.isFinite(duration) || duration <= 0) return;
  try {
    session.setPositionState({
      duration,
      position: Math.min(Math.max(0, video.currentTime), duration),
      playbackRate: video.playbackRate || 1,
    });
  } catch {
    // a state the browser refuses (a live HLS edge): the scrubber just stays as it was
  }
}
