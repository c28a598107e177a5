import { describe, expect, it } from 'vitest';
import { activeSegment, creditsStarted, parseThumbnails, thumbnailAt, type SkipSegmentInfo } from './segments';

const segments: SkipSegmentInfo[] = [
  { kind: 'intro', start: 12, end: 32 },
  { kind: 'credits', start: 75, end: 90 },
];

describe('skippable segments', () => {
  it('offers a skip inside a segment, until a second before its end', () => {
    expect(activeSegment(segments, 11.9)).toBeUndefined();
    expect(activeSegment(segments, 12)?.kind).toBe('intro');
    expect(activeSegment(segments, 30.9)?.kind).toBe('intro');
    expect(activeSegment(segments, 31)).toBeUndefined();
    expect(activeSegment(segments, 80)?.kind).toBe('credits');
    expect(activeSegment(undefined, 20)).toBeUndefined();
  });

  it('says the credits started from their start to the end', () => {
    expect(creditsStarted(segments, 74.9)).toBe(false);
    expect(creditsStarted(segments, 75)).toBe(true);
    expect(creditsStarted(segments, 95)).toBe(true);
    expect(creditsStarted([{ kind: 'intro', start: 0, end: 20 }], 50)).toBe(false);
  });
});

const TRACK = `WEBVTT

00:00:00.000 --> 00:00:10.000
https://bucket.test/sprite_000.jpg?X-Amz-Signature=abc#xywh=0,0,240,136

00:00:10.000 --> 00:00:20.000
https://bucket.test/sprite_000.jpg?X-Amz-Signature=abc#xywh=240,0,240,136

00:01:20.000 --> 00:01:29.500
https://bucket.test/sprite_001.jpg?X-Amz-Signature=def#xywh=0,136,240,136

not a cue
`;

describe('thumbnails track', () => {
  it('reads each cue into its time range, sprite URL and cell', () => {
    const thumbnails = parseThumbnails(TRACK);
    expect(thumbnails).toHaveLength(3);
    expect(thumbnails[1]).toEqual({ start: 10, end: 20, url: 'https://bucket.test/sprite_000.jpg?X-Amz-Signature=abc', x: 240, y: 0, width: 240, height: 136 });
    expect(thumbnails[2]).toMatchObject({ start: 80, end: 89.5, url: 'https://bucket.test/sprite_001.jpg?X-Amz-Signature=def', y: 136 });
  });

  it('finds the thumbnail of a time, the last one past the end', () => {
    const thumbnails = parseThumbnails(TRACK);
    expect(thumbnailAt(thumbnails, 15)?.x).toBe(240);
    expect(thumbnailAt(thumbnails, 85)?.y).toBe(136);
    expect(thumbnailAt(thumbnails, 200)?.y).toBe(136);
    expect(thumbnailAt([], 5)).toBeUndefined();
  });
});
