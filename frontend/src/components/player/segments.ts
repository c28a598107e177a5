/**
 * Skippable stretches (intro, credits) and scrub-preview thumbnails, as the stream answer gives them.
 * Pure functions: the components (`SkipSegment`, `SeekPreview`) only render what these decide.
 */

export interface SkipSegmentInfo {
  kind: 'intro' | 'credits';
  start: number;
  end: number;
}

/** Seconds before a segment's end at which its Skip button goes (a skip that far would land where it is). */
export const SKIP_MARGIN = 1;

/** The segment playing at `position` that is still worth skipping, if any. */
export function activeSegment(segments: readonly SkipSegmentInfo[] | undefined, position: number): SkipSegmentInfo | undefined {
  return (segments ?? []).find((s) => position >= s.start && position < s.end - SKIP_MARGIN);
}

/** Whether the credits have started at `position` (Up next comes up then, not only at the very end). */
export function creditsStarted(segments: readonly SkipSegmentInfo[] | undefined, position: number): boolean {
  return (segments ?? []).some((s) => s.kind === 'credits' && position >= s.start);
}

export const skipLabel = (segment: SkipSegmentInfo) => (segment.kind === 'intro' ? 'Skip intro' : 'Skip credits');

/** One thumbnail of a WebVTT thumbnails track: [start, end) seconds, its sprite and the cell on it. */
export interface Thumbnail {
  start: number;
  end: number;
  url: string;
  x: number;
  y: number;
  width: number;
  height: number;
}

const CUE_TIME = /^(?:(\d+):)?(\d{2}):(\d{2})\.(\d{3})$/;

function seconds(stamp: string): number | undefined {
  const m = CUE_TIME.exec(stamp.trim());
  if (!m) return undefined;
  return Number(m[1] ?? 0) * 3600 + Number(m[2]) * 60 + Number(m[3]) + Number(m[4]) / 1000;
}

/** The cues of a thumbnails track (`start --> end` then `url#xywh=x,y,w,h`); malformed cues are skipped. */
export function parseThumbnails(text: string): Thumbnail[] {
  const thumbnails: Thumbnail[] = [];
  for (const block of text.replace(/\r\n/g, '\n').split(/\n{2,}/)) {
    const lines = block.split('\n').filter((line) => line.trim());
    const timing = lines.findIndex((line) => line.includes('-->'));
    const cue = lines[timing];
    const next = lines[timing + 1];
    if (timing < 0 || cue === undefined || next === undefined) continue;
    const [from, to] = cue.split('-->');
    const start = seconds(from ?? '');
    const end = seconds((to ?? '').trim().split(/\s+/)[0] ?? '');
    const target = next.trim();
    const hash = target.lastIndexOf('#xywh=');
    const cell = hash >= 0 ? target.slice(hash + 6).split(',').map(Number) : [];
    if (start === undefined || end === undefined || cell.length !== 4 || cell.some((n) => !Number.isFinite(n))) continue;
    const [x, y, width, height] = cell as [number, number, number, number];
    thumbnails.push({ start, end, url: target.slice(0, hash), x, y, width, height });
  }
  return thumbnails;
}

/** The thumbnail shown at `time` (the last one past the end). */
export function thumbnailAt(thumbnails: readonly Thumbnail[], time: number): Thumbnail | undefined {
  const first = thumbnails[0];
  const last = thumbnails[thumbnails.length - 1];
  if (!first || !last || !Number.isFinite(time)) return undefined;
  return thumbnails.find((t) => time >= t.start && time < t.end) ?? (time >= last.end ? last : first);
}
