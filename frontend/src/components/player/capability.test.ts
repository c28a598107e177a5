import { afterEach, describe, expect, it, vi } from 'vitest';
import { betterMode, browserDecoder, mimeFor, neededMode, type Decoder } from './capability';

/** A browser like desktop Chrome without HEVC: H.264/VP9/AV1 with AAC/Opus/FLAC/MP3, in MP4 and WebM, no Matroska. */
const chrome: Decoder = {
  supports(type) {
    const [container, codecs = ''] = type.split('; codecs=');
    if (container !== 'video/mp4' && container !== 'video/webm') return false;
    const ok = ['avc1.64001f', 'vp09.00.40.08', 'av01.0.08M.08', 'mp4a.40.2', 'opus', 'flac', 'mp4a.6B'];
    return codecs.replaceAll('"', '').split(',').filter(Boolean).every((c) => ok.includes(c));
  },
};

describe('codec strings', () => {
  it('names ffprobe codecs the way type checks expect', () => {
    expect(mimeFor('video/mp4', 'h264', 'aac')).toBe('video/mp4; codecs="avc1.64001f,mp4a.40.2"');
    expect(mimeFor('video/mp4', 'hevc', 'ac3')).toBe('video/mp4; codecs="hvc1.1.6.L93.B0,ac-3"');
    expect(mimeFor('video/mp4', 'H264', 'eac3')).toBe('video/mp4; codecs="avc1.64001f,ec-3"');
    expect(mimeFor('video/mp4', 'av1', 'opus')).toBe('video/mp4; codecs="av01.0.08M.08,opus"');
    expect(mimeFor('video/mp4', 'h264', 'dts')).toBe('video/mp4; codecs="avc1.64001f,dtsc"');
  });

  it('has no string for codecs no browser plays', () => {
    expect(mimeFor('video/mp4', 'mpeg2video', 'aac')).toBeUndefined();
    expect(mimeFor('video/mp4', 'h264', 'truehd')).toBeUndefined();
  });
});

describe('the mode a browser needs', () => {
  it('plays an H.264/AAC MP4 directly', () => {
    expect(neededMode({ container: 'mov,mp4,m4a,3gp,3g2,mj2', video: 'h264', audio: ['aac'] }, chrome)).toBe('direct');
  });

  it('remuxes an H.264/AAC MKV (only the container is wrong)', () => {
    expect(neededMode({ container: 'matroska,webm', video: 'h264', audio: ['aac', 'ac3'] }, chrome)).toBe('remux');
  });

  it('transcodes HEVC/AC3 fully and only the audio of H.264/DTS', () => {
    expect(neededMode({ container: 'matroska', video: 'hevc', audio: ['ac3'] }, chrome)).toBe('hls');
    expect(neededMode({ container: 'mp4', video: 'h264', audio: ['dts'] }, chrome)).toBe('hls_audio');
    expect(neededMode({ container: 'avi', video: 'mpeg4', audio: ['mp3'] }, chrome)).toBe('hls');
  });

  it('judges by the first audio track, the one a <video> plays', () => {
    expect(neededMode({ container: 'mp4', video: 'h264', audio: ['ac3', 'aac'] }, chrome)).toBe('hls_audio');
    expect(neededMode({ container: 'mp4', video: 'h264', audio: [] }, chrome)).toBe('direct');
  });

  it('plays HEVC directly in a browser that decodes it', () => {
    const safari: Decoder = { supports: (type) => type.startsWith('video/mp4') && !type.includes('dtsc') };
    expect(neededMode({ container: 'mp4', video: 'hevc', audio: ['ac3'] }, safari)).toBe('direct');
  });
});

describe('asking the server again', () => {
  it("asks for a heavier mode when the server's would not decode here", () => {
    expect(betterMode('direct', { container: 'matroska', video: 'hevc', audio: ['ac3'] }, chrome)).toBe('hls');
    expect(betterMode('direct', { container: 'matroska', video: 'h264', audio: ['aac'] }, chrome)).toBe('remux');
    expect(betterMode('remux', { container: 'matroska', video: 'h264', audio: ['dts'] }, chrome)).toBe('hls_audio');
    expect(betterMode('remux', { container: 'matroska', video: 'hevc', audio: ['aac'] }, chrome)).toBe('hls');
  });

  it("keeps the server's mode when it plays, is heavier, or nothing is known", () => {
    expect(betterMode('direct', { container: 'mp4', video: 'h264', audio: ['aac'] }, chrome)).toBeUndefined();
    expect(betterMode('hls', { container: 'mp4', video: 'h264', audio: ['aac'] }, chrome)).toBeUndefined();
    expect(betterMode('hls', { container: 'mkv', video: 'hevc', audio: ['ac3'] }, chrome)).toBeUndefined(); // audio-only or full: the server knows
    expect(betterMode('direct', null, chrome)).toBeUndefined();
    expect(betterMode('direct', { container: 'mkv', video: null, audio: [] }, chrome)).toBeUndefined();
    expect(betterMode(undefined, { container: 'mkv', video: 'hevc', audio: [] }, chrome)).toBeUndefined();
  });
});

describe('the browser decoder', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('asks MediaSource first, then the element', () => {
    const isTypeSupported = vi.fn((type: string) => type.includes('avc1'));
    vi.stubGlobal('MediaSource', { isTypeSupported });
    const canPlayType = vi.spyOn(HTMLMediaElement.prototype, 'canPlayType').mockImplementation((type) => (type.includes('hvc1') ? 'probably' : ''));
    const decoder = browserDecoder();
    expect(decoder.supports('video/mp4; codecs="avc1.64001f"')).toBe(true);
    expect(decoder.supports('video/mp4; codecs="hvc1.1.6.L93.B0"')).toBe(true);
    expect(decoder.supports('video/mp4; codecs="ac-3"')).toBe(false);
    expect(isTypeSupported).toHaveBeenCalledTimes(3);
    expect(canPlayType).toHaveBeenCalledTimes(2);
    canPlayType.mockRestore();
  });
});
