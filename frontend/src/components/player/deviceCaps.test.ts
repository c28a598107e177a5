import { describe, expect, it } from 'vitest';
import type { Decoder } from './capability';
import { probeDeviceCaps } from './deviceCaps';

const table = (types: string[]): Decoder => ({ supports: (type) => types.includes(type) });
const phone = { width: 390, height: 844, pixelRatio: 3, hdr: false };

describe('probeDeviceCaps', () => {
  it('lists what the browser decodes in an MP4, and the lines of the screen’s shorter side', () => {
    const decoder = table(['video/mp4; codecs="avc1.64001f"', 'video/mp4; codecs="mp4a.40.2"', 'video/mp4; codecs="ec-3"']);
    expect(probeDeviceCaps(decoder, phone)).toEqual({ video: ['h264'], audio: ['aac', 'eac3'], hdr: false, maxHeight: 1170 });
  });

  it('names HEVC and AV1 when they decode, and HDR when the screen shows it', () => {
    const decoder = table(['video/mp4; codecs="avc1.64001f"', 'video/mp4; codecs="hvc1.1.6.L93.B0"', 'video/mp4; codecs="av01.0.08M.08"']);
    const desktop = { width: 3840, height: 2160, pixelRatio: 1, hdr: true };
    expect(probeDeviceCaps(decoder, desktop)).toEqual({ video: ['h264', 'hevc', 'av1'], audio: [], hdr: true, maxHeight: 2160 });
  });

  it('says nothing when no video codec answered, and no height for an unknown screen', () => {
    expect(probeDeviceCaps(table([]), phone)).toBeUndefined();
    const unknown = { width: 0, height: 0, pixelRatio: 1, hdr: false };
    expect(probeDeviceCaps(table(['video/mp4; codecs="avc1.64001f"']), unknown)?.maxHeight).toBeNull();
  });
});
