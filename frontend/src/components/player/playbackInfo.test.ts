import { describe, expect, it } from 'vitest';
import { averageBitrate, bufferAhead, formatBitrate, infoRows } from './playbackInfo';

const ranges = (...spans: [number, number][]) => ({ length: spans.length, start: (i: number) => spans[i]![0], end: (i: number) => spans[i]![1] });

describe('playback info', () => {
  it('measures the buffer ahead in the range that holds the playhead', () => {
    expect(bufferAhead(ranges([0, 10], [30, 45]), 32)).toBe(13);
    expect(bufferAhead(ranges([0, 10], [30, 45]), 20)).toBe(0);
    expect(bufferAhead(ranges(), 5)).toBe(0);
  });

  it('states bitrates in kbps and Mbps, from size and length when both are known', () => {
    expect(formatBitrate(4_200_000)).toBe('4.2 Mbps');
    expect(formatBitrate(640_000)).toBe('640 kbps');
    expect(averageBitrate(1_000_000, 8)).toBe(1_000_000);
    expect(averageBitrate(1_000_000, Number.NaN)).toBeUndefined();
    expect(averageBitrate(null, 8)).toBeUndefined();
  });

  it('lists mode, container, codecs, resolution, bitrate, buffer and dropped frames in words', () => {
    const rows = infoRows(
      'hls',
      { container: 'matroska,webm', videoCodec: 'hevc', audioCodecs: ['ac3', 'aac'], sizeBytes: 150_000_000, durationSeconds: 600 },
      { width: 1920, height: 1080, bufferAhead: 12.34, droppedFrames: 3, totalFrames: 900, duration: 590 },
    );
    expect(rows).toEqual([
      ['Play mode', 'Converted for this browser (HLS)'],
      ['Container', 'MKV'],
      ['Video', 'HEVC (H.265)'],
      ['Audio', 'Dolby Digital (AC-3), AAC'],
      ['Resolution', '1920×1080'],
      ['Bitrate', '2.0 Mbps'],
      ['Buffer ahead', '12.3 s'],
      ['Dropped frames', '3 of 900'],
    ]);
  });

  it('leaves out what is not known rather than saying "unknown"', () => {
    expect(infoRows('progressive', undefined, undefined)).toEqual([['Play mode', 'Streaming while it downloads']]);
    const rows = infoRows('direct', { sizeBytes: 10 }, { width: 0, height: 0, bufferAhead: 0, duration: Number.NaN });
    expect(rows.map(([label]) => label)).toEqual(['Play mode', 'Buffer ahead']);
  });
});
