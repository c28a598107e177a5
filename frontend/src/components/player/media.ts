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

/**
 * Whether the element's error means the stream itself does not play here (its container or codecs), so a
 * fresh link cannot help. MEDIA_ERR_SRC_NOT_SUPPORTED is also what Chromium reports for an HTTP error on the
 * URL ("MEDIA_ELEMENT_ERROR: Format error"): there only the demuxer's or decoder's own words mean the file.
 */
export function isDecodeFault(error: { code: number; message?: string } | null | undefined): boolean {
  if (!error) return false;
  if (error.code === 3) return true; // MEDIA_ERR_DECODE
  return error.code === 4 && /DEMUXER_ERROR|DECODER_ERROR|PIPELINE_ERROR|FFmpeg|METADATA_ERR|codec/i.test(error.message ?? '');
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
