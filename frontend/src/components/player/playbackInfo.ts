/**
 * The "Playback info" panel's facts (like Jellyfin's): how the video reaches the
 * browser, what the file holds, and what the element reports live (size,
 * buffer ahead, dropped frames). Pure, so the panel stays wiring.
 */
import type { PlayMode, StreamFacts } from '../../api/player';

/** The play mode in words. */
export const MODE_WORDS: Record<PlayMode, string> = {
  direct: 'Direct play (the file as it is)',
  remux: 'Repackaged as MP4 (same video and sound)',
  hls: 'Converted for this browser (HLS)',
  progressive: 'Streaming while it downloads',
  stored: 'Direct play (downloaded file)',
};

/** What the <video> element reports, sampled while the panel is open. */
export interface LiveSample {
  width: number;
  height: number;
  /** Seconds buffered ahead of the playhead. */
  bufferAhead: number;
  droppedFrames?: number;
  totalFrames?: number;
  /** The element's duration (NaN while unknown). */
  duration: number;
}

/** Seconds buffered ahead of `time` in the range that holds it (0 when the playhead sits outside every range). */
export function bufferAhead(ranges: { length: number; start(i: number): number; end(i: number): number }, time: number): number {
  for (let i = 0; i < ranges.length; i += 1) {
    if (ranges.start(i) <= time + 0.25 && time <= ranges.end(i)) return Math.max(0, ranges.end(i) - time);
  }
  return 0;
}

/** 4_200_000 -> "4.2 Mbps", 640_000 -> "640 kbps". */
export function formatBitrate(bps: number): string {
  return bps >= 1_000_000 ? `${(bps / 1_000_000).toFixed(1)} Mbps` : `${Math.round(bps / 1000)} kbps`;
}

/** Average bitrate from the file's size and length, when both are known. */
export function averageBitrate(sizeBytes: number | null | undefined, seconds: number | null | undefined): number | undefined {
  return sizeBytes && seconds && Number.isFinite(seconds) && seconds > 0 ? (sizeBytes * 8) / seconds : undefined;
}

const CODEC_NAMES: Record<string, string> = {
  h264: 'H.264', hevc: 'HEVC (H.265)', av1: 'AV1', vp9: 'VP9', vp8: 'VP8', mpeg2video: 'MPEG-2', mpeg4: 'MPEG-4 Part 2',
  aac: 'AAC', ac3: 'Dolby Digital (AC-3)', eac3: 'Dolby Digital Plus (E-AC-3)', dts: 'DTS', truehd: 'Dolby TrueHD',
  flac: 'FLAC', opus: 'Opus', mp3: 'MP3', vorbis: 'Vorbis',
};
const CONTAINER_NAMES: Record<string, string> = { matroska: 'MKV', mkv: 'MKV', webm: 'WebM', mov: 'MP4', mp4: 'MP4', m4v: 'MP4', avi: 'AVI', mpegts: 'MPEG-TS', ts: 'MPEG-TS' };

const codecName = (codec: string) => CODEC_NAMES[codec.toLowerCase()] ?? codec.toUpperCase();
/** ffprobe's "mov,mp4,m4a,3gp,3g2,mj2" -> "MP4"; "matroska,webm" -> "MKV". */
const containerName = (container: string) => CONTAINER_NAMES[container.split(',')[0]!.trim().toLowerCase()] ?? container.toUpperCase();

/** The panel's rows, in order; a fact not known is left out rather than shown as "unknown". */
export function infoRows(mode: PlayMode, facts: StreamFacts | undefined, live: LiveSample | undefined): [string, string][] {
  const rows: [string, string][] = [['Play mode', MODE_WORDS[mode]]];
  if (facts?.container) rows.push(['Container', containerName(facts.container)]);
  if (facts?.videoCodec) rows.push(['Video', codecName(facts.videoCodec)]);
  if (facts?.audioCodecs?.length) rows.push(['Audio', facts.audioCodecs.map(codecName).join(', ')]);
  if (live && live.width && live.height) rows.push(['Resolution', `${live.width}×${live.height}`]);
  const bitrate = averageBitrate(facts?.sizeBytes, facts?.durationSeconds ?? live?.duration);
  if (bitrate) rows.push(['Bitrate', formatBitrate(bitrate)]);
  if (live) rows.push(['Buffer ahead', `${live.bufferAhead.toFixed(1)} s`]);
  if (live?.totalFrames) rows.push(['Dropped frames', `${live.droppedFrames ?? 0} of ${live.totalFrames}`]);
  return rows;
}
