import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { attachSource, PROGRESSIVE_RETRIES, REFRESH_COOLDOWN_MS, retryDelay, type HlsConstructor } from './source';

/**
 * jsdom has no Media Source Extensions, so hls.js cannot run here: this stands
 * in for its public surface (constructor config, loadSource/attachMedia, the
 * ERROR event) and records what the player asked of it.
 */
class FakeHls {
  static supported = true;
  static instances: FakeHls[] = [];
  static isSupported = () => FakeHls.supported;
  static Events = { ERROR: 'hlsError', FRAG_LOADED: 'hlsFragLoaded' };
  static ErrorTypes = { NETWORK_ERROR: 'networkError', MEDIA_ERROR: 'mediaError', OTHER_ERROR: 'otherError' };
  handlers = new Map<string, (event: string, data: unknown) => void>();
  calls: string[] = [];
  media?: HTMLVideoElement;
  constructor(readonly config: Record<string, unknown>) {
    FakeHls.instances.push(this);
  }
  on(event: string, handler: (event: string, data: unknown) => void) {
    this.handlers.set(event, handler);
  }
  emit(event: string, data: unknown) {
    this.handlers.get(event)?.(event, data);
  }
  loadSource(url: string) {
    this.calls.push(`loadSource ${url}`);
  }
  attachMedia(video: HTMLVideoElement) {
    this.media = video;
    this.calls.push('attachMedia');
  }
  startLoad() {
    this.calls.push('startLoad');
  }
  recoverMediaError() {
    this.calls.push('recoverMediaError');
  }
  destroy() {
    this.calls.push('destroy');
  }
}
const loadHls = vi.fn(async () => FakeHls as unknown as HlsConstructor);
const fatal = (type: string, code?: number) => ({ fatal: true, type, details: 'x', error: new Error('boom'), ...(code ? { response: { url: 'u', code } } : {}) });

let video: HTMLVideoElement;
beforeEach(() => {
  video = document.createElement('video');
  FakeHls.instances = [];
  FakeHls.supported = true;
  loadHls.mockClear();
});
afterEach(() => vi.restoreAllMocks());

describe('attaching a stream', () => {
  it.each(['direct', 'remux', 'progressive', 'stored'] as const)('puts a %s URL on the element without hls.js', async (mode) => {
    const attachment = attachSource(video, { url: `http://media.test/${mode}`, mode }, { onGone: vi.fn(), onFatal: vi.fn(), loadHls });
    await attachment.ready;
    expect(video.getAttribute('src')).toBe(`http://media.test/${mode}`);
    expect(attachment.engine()).toBe('element');
    expect(loadHls).not.toHaveBeenCalled();
    attachment.destroy();
    expect(video.hasAttribute('src')).toBe(false);
  });

  it('plays an hls playlist through hls.js from the resume position (not the live edge of a growing playlist)', async () => {
    const attachment = attachSource(video, { url: 'http://api.test/hls/x.m3u8', mode: 'hls' }, { startAt: 600, onGone: vi.fn(), onFatal: vi.fn(), loadHls });
    expect(attachment.engine()).toBe('pending');
    await attachment.ready;
    const hls = FakeHls.instances[0]!;
    expect(attachment.engine()).toBe('hls.js');
    expect(hls.config.startPosition).toBe(600);
    expect(hls.calls).toEqual(['loadSource http://api.test/hls/x.m3u8', 'attachMedia']);
    expect(hls.media).toBe(video);
    expect(video.hasAttribute('src')).toBe(false);
    attachment.destroy();
    expect(hls.calls.at(-1)).toBe('destroy');
  });

  it('starts an EVENT playlist at 0 without a resume position', async () => {
    await attachSource(video, { url: 'http://api.test/hls/y.m3u8', mode: 'hls' }, { onGone: vi.fn(), onFatal: vi.fn(), loadHls }).ready;
    expect(FakeHls.instances[0]!.config.startPosition).toBe(0);
  });

  it("uses the browser's own HLS where hls.js is unsupported", async () => {
    FakeHls.supported = false;
    vi.spyOn(HTMLMediaElement.prototype, 'canPlayType').mockImplementation((type) => (type === 'application/vnd.apple.mpegurl' ? 'maybe' : ''));
    const attachment = attachSource(video, { url: 'http://api.test/hls/z.m3u8', mode: 'hls' }, { onGone: vi.fn(), onFatal: vi.fn(), loadHls });
    await attachment.ready;
    expect(attachment.engine()).toBe('native-hls');
    expect(video.getAttribute('src')).toBe('http://api.test/hls/z.m3u8');
    expect(FakeHls.instances).toHaveLength(0);
  });

  it('says so when the browser plays no HLS at all', async () => {
    FakeHls.supported = false;
    const onFatal = vi.fn();
    await attachSource(video, { url: 'http://api.test/hls/z.m3u8', mode: 'hls' }, { onGone: vi.fn(), onFatal, loadHls }).ready;
    expect(onFatal).toHaveBeenCalledWith("This browser can't play HLS video.");
  });

  it('does nothing when destroyed before hls.js arrived', async () => {
    const attachment = attachSource(video, { url: 'http://api.test/hls/x.m3u8', mode: 'hls' }, { onGone: vi.fn(), onFatal: vi.fn(), loadHls });
    attachment.destroy();
    await attachment.ready;
    expect(FakeHls.instances).toHaveLength(0);
  });
});

describe('hls.js faults', () => {
  async function attached() {
    const onGone = vi.fn();
    const onFatal = vi.fn();
    await attachSource(video, { url: 'http://api.test/hls/x.m3u8', mode: 'hls' }, { onGone, onFatal, loadHls }).ready;
    return { hls: FakeHls.instances[0]!, onGone, onFatal };
  }

  it.each([410, 404, 403])('asks for a fresh stream when the playlist answers %i', async (code) => {
    const { hls, onGone } = await attached();
    hls.emit('hlsError', fatal('networkError', code));
    expect(onGone).toHaveBeenCalledOnce();
    expect(hls.calls).not.toContain('startLoad');
  });

  it('retries other network faults a few times, then asks for a fresh stream', async () => {
    const { hls, onGone } = await attached();
    for (let i = 0; i < 5; i += 1) hls.emit('hlsError', fatal('networkError', 503));
    expect(hls.calls.filter((c) => c === 'startLoad')).toHaveLength(5);
    expect(onGone).not.toHaveBeenCalled();
    hls.emit('hlsFragLoaded', {}); // progress resets the count
    hls.emit('hlsError', fatal('networkError'));
    expect(onGone).not.toHaveBeenCalled();
    for (let i = 0; i < 5; i += 1) hls.emit('hlsError', fatal('networkError'));
    expect(onGone).toHaveBeenCalledOnce();
  });

  it('recovers one media fault and fails on the second as a media fault in plain words; ignores non-fatal ones', async () => {
    const { hls, onFatal } = await attached();
    hls.emit('hlsError', { ...fatal('mediaError'), fatal: false });
    expect(hls.calls).not.toContain('recoverMediaError');
    hls.emit('hlsError', fatal('mediaError'));
    expect(hls.calls).toContain('recoverMediaError');
    expect(onFatal).not.toHaveBeenCalled();
    hls.emit('hlsError', fatal('mediaError'));
    // Never hls.js's own words ('boom' here): the page moves on to another mode or says what to do.
    expect(onFatal).toHaveBeenCalledWith("This video can't play in your browser.", true);
  });

  it('gives up on other fatal faults as a load failure, not a media one', async () => {
    const { hls, onFatal } = await attached();
    hls.emit('hlsError', fatal('otherError'));
    expect(onFatal).toHaveBeenCalledWith('The video stopped loading. Try again in a moment.');
  });
});

describe('retrying after the element failed', () => {
  it('always asks again for a progressive stream (it moves to the bucket), backing off, within a limit', () => {
    expect(retryDelay('progressive', 0, 10)).toBe(0);
    expect(retryDelay('progressive', 1, 10)).toBe(1000);
    expect(retryDelay('progressive', 5, 10)).toBe(2000);
    expect(retryDelay('progressive', PROGRESSIVE_RETRIES, 10)).toBeUndefined();
  });

  it('gives a presigned or playlist URL one fresh link per cooldown', () => {
    for (const mode of ['direct', 'remux', 'hls', 'stored'] as const) {
      expect(retryDelay(mode, 0, REFRESH_COOLDOWN_MS + 1)).toBe(0);
      expect(retryDelay(mode, 1, 1000)).toBeUndefined();
    }
  });
});
