/**
 * What this device decodes, for a pick made for it: the server ranks a release this
 * browser cannot decode (HEVC on most phones) below the ones it plays, and keeps the
 * pick per device. The same probe the player uses (`browserDecoder`).
 */
import { browserDecoder, mimeFor, type Decoder } from './capability';

export interface DeviceCaps {
  video: string[];
  audio: string[];
  hdr: boolean;
  maxHeight: number | null;
}

const VIDEO = ['h264', 'hevc', 'av1', 'vp9', 'vp8'];
const AUDIO = ['aac', 'ac3', 'eac3', 'dts', 'opus', 'flac', 'mp3', 'vorbis'];

/** The screen as the probe sees it; tests pass their own. */
export interface Screen {
  width: number;
  height: number;
  pixelRatio: number;
  hdr: boolean;
}

function browserScreen(): Screen {
  const s = globalThis.screen as globalThis.Screen | undefined;
  return {
    width: s?.width ?? 0, height: s?.height ?? 0, pixelRatio: globalThis.devicePixelRatio || 1,
    hdr: Boolean(globalThis.matchMedia?.('(dynamic-range: high)')?.matches),
  };
}

/**
 * The codecs this browser decodes (in an MP4), whether its screen shows HDR and how many
 * lines it has (the shorter side: a video plays in landscape). Undefined when no video
 * codec answered: a probe that says nothing would only split picks for no gain.
 */
export function probeDeviceCaps(decoder: Decoder = browserDecoder(), display: Screen = browserScreen()): DeviceCaps | undefined {
  const plays = (type: string | undefined) => type !== undefined && decoder.supports(type);
  const video = VIDEO.filter((codec) => plays(mimeFor('video/mp4', codec, null)));
  if (!video.length) return undefined;
  const audio = AUDIO.filter((codec) => plays(mimeFor('video/mp4', null, codec)));
  const lines = Math.round(Math.min(display.width, display.height) * display.pixelRatio);
  return { video, audio, hdr: display.hdr, maxHeight: lines > 0 ? lines : null };
}
