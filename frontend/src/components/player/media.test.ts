import { describe, expect, it } from 'vitest';
import { isDecodeFault, resumeAt } from './media';
import { clock } from './PlayerControls';

describe('player helpers', () => {
  it('resumes at the saved position unless it is at the very end', () => {
    expect(resumeAt(600, 2880)).toBe(600);
    expect(resumeAt(3, 10)).toBe(3);
    expect(resumeAt(2879.5, 2880)).toBe(0);
    expect(resumeAt(null, 2880)).toBe(0);
    expect(resumeAt(42, null)).toBe(42);
  });

  it("tells a stream that does not decode from a URL that failed (Chromium calls both 'not supported')", () => {
    expect(isDecodeFault({ code: 4, message: 'DEMUXER_ERROR_COULD_NOT_OPEN: FFmpegDemuxer: open context failed' })).toBe(true);
    expect(isDecodeFault({ code: 4, message: 'PIPELINE_ERROR_DECODE: audio decoder reinitialization failed' })).toBe(true);
    expect(isDecodeFault({ code: 3, message: '' })).toBe(true); // MEDIA_ERR_DECODE
    expect(isDecodeFault({ code: 4, message: 'MEDIA_ELEMENT_ERROR: Format error' })).toBe(false); // a 403 on an expired link
    expect(isDecodeFault({ code: 2, message: 'net::ERR_CONNECTION_RESET' })).toBe(false);
    expect(isDecodeFault(null)).toBe(false);
  });

  it('formats the clock', () => {
    expect(clock(0)).toBe('0:00');
    expect(clock(75.9)).toBe('1:15');
    expect(clock(3725)).toBe('1:02:05');
    expect(clock(Number.NaN)).toBe('0:00');
  });
});
