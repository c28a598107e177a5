/**
 * Can this browser decode a file? The server says what the file holds
 * (`codecs`, from ffprobe); the browser says what it decodes
 * (`MediaSource.isTypeSupported`, `canPlayType`). From both, the play mode to
 * ask for: the file as it is (direct), the same streams in an MP4 (remux), or
 * a transcoded HLS version (hls).
 */

export interface Codecs {
  container?: string | null;
  video?: string | null;
  audio?: readonly string[] | null;
}

/** How the server answers: hls covers both the audio-only and the full transcode. */
export type LibraryMode = 'direct' | 'remux' | 'hls';
/** What the player may ask for: hls_audio keeps the video and converts only the audio (cheaper than hls). */
export type AskMode = LibraryMode | 'hls_audio';

/** What the browser answers; the real one is `browserDecoder()`, tests pass a table. */
export interface Decoder {
  /** True when the type (with codecs) plays: MSE or the element itself. */
  supports(type: string): boolean;
}

/** RFC 6381 codec strings the browsers' type checks understand (ffprobe names on the left). */
const VIDEO_CODECS: Record<string, string> = {
  h264: 'avc1.64001f', avc: 'avc1.64001f', avc1: 'avc1.64001f',
  hevc: 'hvc1.1.6.L93.B0', h265: 'hvc1.1.6.L93.B0',
  av1: 'av01.0.08M.08', vp9: 'vp09.00.40.08', vp8: 'vp8',
};
const AUDIO_CODECS: Record<string, string> = {
  aac: 'mp4a.40.2', ac3: 'ac-3', eac3: 'ec-3', dts: 'dtsc', opus: 'opus', flac: 'flac', mp3: 'mp4a.6B', vorbis: 'vorbis',
};
/** The MIME type browsers know a container by; containers missing here only play remuxed. */
const CONTAINERS: Record<string, string> = {
  mp4: 'video/mp4', m4v: 'video/mp4', mov: 'video/mp4', webm: 'video/webm', matroska: 'video/x-matroska', mkv: 'video/x-matroska',
};

const norm = (name: string | null | undefined) => (name ?? '').trim().toLowerCase();

/** `video/mp4; codecs="avc1.64001f,mp4a.40.2"`, or undefined when a codec has no known string (TrueHD, MPEG-2…). */
export function mimeFor(container: string, video: string | null | undefined, audio: string | null | undefined): string | undefined {
  const parts: string[] = [];
  if (norm(video)) {
    const code = VIDEO_CODECS[norm(video)];
    if (!code) return undefined;
    parts.push(code);
  }
  if (norm(audio)) {
    const code = AUDIO_CODECS[norm(audio)];
    if (!code) return undefined;
    parts.push(code);
  }
  return parts.length ? `${container}; codecs="${parts.join(',')}"` : container;
}

/** ffprobe may name the container "mov,mp4,m4a,3gp,3g2,mj2" or "matroska,webm": any known alias counts. */
function containerType(container: string | null | undefined): string | undefined {
  for (const alias of norm(container).split(',')) {
    const type = CONTAINERS[alias.trim()];
    if (type) return type;
  }
  return undefined;
}

/** Whether the streams play in `container` (the first audio track is the one a <video> plays). */
function streamsPlayIn(container: string, codecs: Codecs, decoder: Decoder): boolean {
  const type = mimeFor(container, codecs.video, codecs.audio?.[0]);
  return type !== undefined && decoder.supports(type);
}

/**
 * The mode this browser needs: direct when the file plays as it is, remux when
 * only its container is wrong (its streams play in an MP4), hls_audio when
 * only the audio does not decode, hls otherwise.
 */
export function neededMode(codecs: Codecs, decoder: Decoder): AskMode {
  const type = containerType(codecs.container);
  if (type && streamsPlayIn(type, codecs, decoder)) return 'direct';
  if (streamsPlayIn('video/mp4', codecs, decoder)) return 'remux';
  if (codecs.video && streamsPlayIn('video/mp4', { video: codecs.video }, decoder)) return 'hls_audio';
  return 'hls';
}

const RANK: Record<AskMode, number> = { direct: 0, remux: 1, hls_audio: 2, hls: 3 };

/**
 * The mode to ask the server for instead of the one it chose, or undefined to
 * keep it: only ever a heavier mode (the server knows what it can prepare), and
 * nothing without probed codecs to judge by.
 */
export function betterMode(server: LibraryMode | undefined, codecs: Codecs | null | undefined, decoder: Decoder): AskMode | undefined {
  if (!server || !codecs || (!codecs.video && !codecs.audio?.length)) return undefined;
  const needed = neededMode(codecs, decoder);
  return RANK[needed] > RANK[server] ? needed : undefined;
}

/** The browser's own answer: Media Source Extensions (what hls.js uses) or the element's `canPlayType`. */
export function browserDecoder(): Decoder {
  let probe: HTMLVideoElement | undefined;
  return {
    supports(type) {
      const mse = globalThis.MediaSource as typeof MediaSource | undefined;
      if (mse?.isTypeSupported?.(type)) return true;
      probe ??= document.createElement('video');
      return probe.canPlayType(type) !== '';
    },
  };
}
