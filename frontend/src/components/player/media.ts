/** Small helpers around the <video> element and the Fullscreen API (kept apart so the component reads as wiring). */

/** Shows one text track (or none, with -1) and disables the rest. */
export function applyTrackModes(video: HTMLVideoElement, selected: number) {
  const tracks = video.textTracks as TextTrackList | undefined; // jsdom has no TextTrackList
  if (!tracks) return;
  for (let i = 0; i < tracks.length; i += 1) {
    const track = tracks[i];
    if (track) track.mode = i === selected ? 'showing' : 'disabled';
  }
}

export async function toggleFullscreen(stage: HTMLElement) {
  if (document.fullscreenElement) await document.exitFullscreen();
  else await stage.requestFullscreen();
}

/**
 * Where to start: the saved position as the API gave it (it is 0 once a title
 * counts as watched), unless it sits at the very end, where resuming would only
 * show the last frame.
 */
export function resumeAt(position: number | null | undefined, duration: number | null | undefined): number {
  if (!position || position < 0) return 0;
  if (duration && position >= duration - 1) return 0;
  return position;
}

/** Starts playback; resolves false when the browser refuses (autoplay with sound before any interaction). */
export async function tryPlay(video: HTMLVideoElement): Promise<boolean> {
  try {
    await video.play(); // older engines return undefined rather than a promise; await handles both
    return true;
  } catch {
    return false;
  }
}

/** Adds listeners to document/window and returns the function that removes them all. */
export function listen(bindings: [EventTarget, string, EventListener][]): () => void {
  for (const [target, type, handler] of bindings) target.addEventListener(type, handler);
  return () => {
    for (const [target, type, handler] of bindings) target.removeEventListener(type, handler);
  };
}

/**
 * Calls `onStall` when the element has waited for data for `ms` without a
 * single byte arriving (no `progress` event): a connection that died without
 * an answer (a worker killed mid-response) leaves Chrome waiting forever
 * instead of firing `error`. A slow source still sends bytes, which resets it.
 * Returns the function that stops watching.
 */
export function watchStalls(video: HTMLVideoElement, ms: number, onStall: () => void): () => void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const arm = () => {
    clearTimeout(timer);
    timer = setTimeout(onStall, ms);
  };
  const rearm = () => timer !== undefined && arm();
  const settle = () => {
    clearTimeout(timer);
    timer = undefined;
  };
  const unlisten = listen([
    [video, 'waiting', arm],
    [video, 'progress', rearm],
    [video, 'playing', settle],
    [video, 'pause', settle],
    [video, 'emptied', settle],
  ]);
  return () => {
    settle();
    unlisten();
  };
}
