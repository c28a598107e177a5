/**
 * Putting a stream on the <video>: the URL itself for a file (direct, remux,
 * progressive, stored), hls.js for an HLS playlist (Safari's own HLS where
 * Media Source Extensions are missing). hls.js is imported on first use so the
 * main bundle does not carry it.
 */
import type HlsType from 'hls.js';
import type { ErrorData, HlsConfig } from 'hls.js';
import type { PlayMode } from '../../api/player';

export type HlsConstructor = typeof HlsType;

export interface AttachOptions {
  /** Where playback should start (the resume position); an EVENT playlist still growing starts here, not at its live edge. */
  startAt?: number;
  /** The URL stopped working (expired, moved to the bucket, 404/410): ask the API for a fresh stream. */
  onGone: () => void;
  /** Nothing more to try; `media`: the stream does not decode here (another mode may). */
  onFatal: (message: string, media?: boolean) => void;
  loadHls?: () => Promise<HlsConstructor>;
}

export interface Attachment {
  /** Who feeds the element: hls.js reports its own errors, the element's `error` event is not for it. */
  readonly engine: () => 'element' | 'native-hls' | 'hls.js' | 'pending';
  /** Settles once the source is on the element. */
  readonly ready: Promise<void>;
  destroy(): void;
}

const HLS_MIME = 'application/vnd.apple.mpegurl';
/** Network faults in a row hls.js may retry (a worker restarting, a playlist not written yet) before the URL counts as gone. */
const HLS_NETWORK_RETRIES = 5;
/** Statuses that mean this URL will not work again: an expired signature, a file that moved, a playlist replaced. */
const GONE = new Set([401, 403, 404, 410]);

const importHls = async (): Promise<HlsConstructor> => (await import('hls.js')).default;

/** Puts `source` on `video`; hls mode loads hls.js (or the browser's own HLS) first. */
export function attachSource(video: HTMLVideoElement, source: { url: string; mode: PlayMode }, options: AttachOptions): Attachment {
  if (source.mode !== 'hls') {
    video.src = source.url;
    return { engine: () => 'element', ready: Promise.resolve(), destroy: () => video.removeAttribute('src') };
  }
  let engine: ReturnType<Attachment['engine']> = 'pending';
  let hls: HlsType | undefined;
  let destroyed = false;
  const ready = (options.loadHls ?? importHls)()
    .then((Hls) => {
      if (destroyed) return;
      if (Hls.isSupported()) {
        engine = 'hls.js';
        hls = startHls(Hls, video, source.url, options);
      } else if (video.canPlayType(HLS_MIME)) {
        engine = 'native-hls';
        video.src = source.url;
      } else {
        options.onFatal("This browser can't play HLS video.");
      }
    })
    .catch(() => {
      if (!destroyed) options.onFatal("The HLS player didn't load. Check your connection and try again.");
    });
  return {
    engine: () => engine,
    ready,
    destroy() {
      destroyed = true;
      hls?.destroy(); // detaches from the element and stops every request
      if (engine === 'native-hls') video.removeAttribute('src');
    },
  };
}

function startHls(Hls: HlsConstructor, video: HTMLVideoElement, url: string, options: AttachOptions): HlsType {
  const config: Partial<HlsConfig> = { startPosition: options.startAt ?? 0, enableWorker: true };
  const hls = new Hls(config);
  let networkFaults = 0;
  let mediaRecovered = false;
  hls.on(Hls.Events.FRAG_LOADED, () => {
    networkFaults = 0;
  });
  hls.on(Hls.Events.ERROR, (_event, data: ErrorData) => {
    if (!data.fatal) return;
    if (data.type === Hls.ErrorTypes.NETWORK_ERROR) {
      const status = data.response?.code;
      if ((status !== undefined && GONE.has(status)) || ++networkFaults > HLS_NETWORK_RETRIES) options.onGone();
      else hls.startLoad(); // a hiccup: carry on where it stopped
    } else if (data.type === Hls.ErrorTypes.MEDIA_ERROR && !mediaRecovered) {
      mediaRecovered = true; // once: a second decode fault is the file's
      hls.recoverMediaError();
    } else if (data.type === Hls.ErrorTypes.MEDIA_ERROR) {
      options.onFatal("This video can't play in your browser.", true);
    } else {
      options.onFatal('The video stopped loading. Try again in a moment.');
    }
  });
  hls.loadSource(url);
  hls.attachMedia(video);
  return hls;
}

/** Stops the element's downloads for good (leaving the page): no source, and a load() that drops the old one. */
export function detachElement(video: HTMLVideoElement) {
  const had = Boolean(video.currentSrc);
  video.removeAttribute('src');
  if (had) video.load();
}

/** Refreshes in a row a progressive stream may take (a worker restart, the file moving to the bucket) before giving up. */
export const PROGRESSIVE_RETRIES = 30;
/** A second refresh of a presigned/playlist URL this soon after the last one means the file itself is the problem. */
export const REFRESH_COOLDOWN_MS = 30_000;

/**
 * After the element failed: how long to wait before asking the API for a fresh
 * stream, or undefined to give up. A progressive URL dies by design (the file
 * is now in the bucket, the worker restarted): ask again, backing off to 2 s.
 * A bucket or playlist URL gets one fresh link per cooldown (it had expired).
 */
export function retryDelay(mode: PlayMode, failuresInARow: number, msSinceLastRefresh: number): number | undefined {
  if (mode === 'progressive') return failuresInARow >= PROGRESSIVE_RETRIES ? undefined : Math.min(failuresInARow, 2) * 1000;
  return msSinceLastRefresh < REFRESH_COOLDOWN_MS ? undefined : 0;
}
