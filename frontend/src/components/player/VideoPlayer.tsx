import { createEffect, createSignal, For, on, onCleanup, onMount, Show } from 'solid-js';
import { toApiError, type ApiError } from '../../api/client';
import { playback } from '../../stores/playback';
import { sendProgress, type PlayerStatus, type PlayerStream, type ProgressTarget } from '../../api/player';
import { applyTrackModes, isDecodeFault, listen, resumeAt, toggleFullscreen, tryPlay, watchStalls } from './media';
import { bindMediaSession, syncPosition, type NowPlaying } from './mediaSession';
import { StageMark } from './Overlays';
import { PlaybackInfo } from './PlaybackInfo';
import { createPlaybackReports } from './playbackReports';
import { PlayerControls, type ControlActions } from './PlayerControls';
import { createProgressReporter } from './progress';
import { attachSource, detachElement, retryDelay, type Attachment } from './source';
import { actionForKey, stepPosition, stepVolume, type PlayerAction } from './shortcuts';
import { baseLanguage, pickDefaultTrack, trackLabel } from './subtitles';
import { UpNext } from './UpNext';
import { SeekPreview } from './SeekPreview';
import { creditsStarted } from './segments';
import { SkipSegment } from './SkipSegment';
import { createSubtitleTiming } from './subtitleTiming';

/**
 * Why playback stopped, in plain words. `media`: this stream does not play in this browser (it failed to
 * decode, or a fresh link failed the same way), so the page may try the next mode; `load`: a progressive
 * stream stopped arriving; `api`: a fresh stream could not be had (the message is the API's).
 */
export interface PlayerFailure {
  kind: 'media' | 'load' | 'api';
  message: string;
  /** The API's error code (kind api), e.g. media_unplayable. */
  code?: string;
}

export interface VideoPlayerProps {
  stream: PlayerStream;
  /** A fresh stream (new presigned URLs, or the bucket's once a progressive file is stored) after the current one stopped working. */
  refresh: () => Promise<PlayerStream>;
  /** What progress is saved against; absent for files not matched to a title. */
  target?: ProgressTarget;
  fallbackDuration?: number | null;
  /** The viewer's subtitle languages, most wanted first (one code, a list, or null for off). */
  subtitleLanguage: string | readonly string[] | null;
  autoplayNext: boolean;
  onNext: () => void;
  /** What the OS media controls show (lock screen, media keys); absent: they show nothing. */
  nowPlaying?: NowPlaying;
  /** Told of every stream the player attaches (a refresh may turn a progressive stream into the stored one). */
  onStream?: (stream: PlayerStream) => void;
  /** What the spinner says while the video waits for data. */
  bufferingLabel?: string;
  /** The video started (or went on) playing. */
  onPlaying?: () => void;
  /** Position and buffering as they change (a playback session's heartbeats read them). */
  onStatus?: (status: PlayerStatus) => void;
  onProgressError?: (error: unknown) => void;
  onFailure: (failure: PlayerFailure) => void;
}

const IDLE_MS = 2500;
/** A progressive stream that sends no byte for this long while the video waits is dead (the worker went away mid-response). */
const STALL_MS = 15_000;

export function VideoPlayer(props: VideoPlayerProps) {
  // Fixed for this player's life (a new file mounts a new player); read once so the
  // final report on unmount does not reach back into a page that is already gone.
  const target = props.target;
  const fallbackDuration = props.fallbackDuration;
  const onProgressError = props.onProgressError;
  let video!: HTMLVideoElement;
  let stage!: HTMLDivElement;
  const [stream, setStream] = createSignal(props.stream);
  const tracks = () => stream().subtitles ?? [];
  const [playing, setPlaying] = createSignal(false);
  const [position, setPosition] = createSignal(0);
  const [duration, setDuration] = createSignal(fallbackDuration ?? Number.NaN);
  const [ended, setEnded] = createSignal(false);
  const [fullscreen, setFullscreen] = createSignal(false);
  const [track, setTrack] = createSignal(pickDefaultTrack(tracks(), props.subtitleLanguage));
  const [active, setActive] = createSignal(true);
  const [buffering, setBuffering] = createSignal(true);
  const [info, setInfo] = createSignal(false);
  let lastTrack = track();
  // Library files: the viewer's offset per track (G/H, the menu's −/+) and auto-sync, applied to the cues.
  const subtitleTiming = createSubtitleTiming({
    itemId: () => stream().itemId,
    tracks,
    selected: track,
    textTrack: (index) => (video?.textTracks as TextTrackList | undefined)?.[index],
  });
  let pendingSeek: number | undefined = resumeAt(props.stream.resume, fallbackDuration) || undefined;
  const reports = createPlaybackReports(pendingSeek); // start-up time, stalls, resumes -> the server's metrics
  let skipSeeked = false;
  let resumePlaying = true;
  let lastRefresh = 0;
  let failures = 0;
  let recovering = false;
  let disposed = false;
  let attachment: Attachment | undefined;
  let unwatchStalls: (() => void) | undefined;
  let idleTimer: ReturnType<typeof setTimeout> | undefined;

  const reporter = createProgressReporter({
    // The probed length first: an HLS playlist still being converted reports only what exists so far,
    // and 90% of that is not the title watched.
    read: () => ({ positionSeconds: video.currentTime, durationSeconds: fallbackDuration || video.duration || 0 }),
    send: (sample, { keepalive }) => (target ? sendProgress(target, sample, keepalive) : Promise.resolve()),
    onError: (error) => onProgressError?.(error),
  });

  const poke = () => {
    setActive(true);
    clearTimeout(idleTimer);
    idleTimer = setTimeout(() => setActive(false), IDLE_MS);
  };

  const actions: ControlActions = {
    togglePlay: () => (video.paused ? void tryPlay(video) : video.pause()),
    seek: (seconds) => {
      video.currentTime = seconds;
      setPosition(seconds);
    },
    setVolume: (volume) => {
      video.volume = volume;
      video.muted = volume === 0;
    },
    toggleMute: () => {
      video.muted = !video.muted;
    },
    toggleTheater: () => playback.setTheater(!playback.theater()),
    toggleFullscreen: () => void toggleFullscreen(stage).catch(() => undefined), // refused (iframe, no user gesture): stay as is
    selectTrack: (index) => {
      if (index >= 0) lastTrack = index;
      setTrack(index);
    },
    toggleInfo: () => setInfo(!info()),
  };

  const toggleCaptions = () => {
    if (track() >= 0) return actions.selectTrack(-1);
    const fallback = lastTrack >= 0 ? lastTrack : Math.max(0, pickDefaultTrack(tracks(), props.subtitleLanguage));
    if (tracks().length) actions.selectTrack(fallback);
  };

  const perform: Record<PlayerAction, () => void> = {
    'toggle-play': actions.togglePlay,
    'seek-back': () => actions.seek(stepPosition(video.currentTime, -1, video.duration)),
    'seek-forward': () => actions.seek(stepPosition(video.currentTime, 1, video.duration)),
    'volume-up': () => actions.setVolume(stepVolume(video.muted ? 0 : video.volume, 1)),
    'volume-down': () => actions.setVolume(stepVolume(video.volume, -1)),
    fullscreen: actions.toggleFullscreen,
    theater: actions.toggleTheater,
    mute: actions.toggleMute,
    captions: toggleCaptions,
    'subtitles-earlier': () => subtitleTiming.nudge(-1),
    'subtitles-later': () => subtitleTiming.nudge(1),
  };

  const onKey = (event: KeyboardEvent) => {
    const action = actionForKey(event);
    if (!action) return;
    event.preventDefault();
    perform[action]();
    poke();
  };

  // Never the media pipeline's own words ("DEMUXER_ERROR_COULD_NOT_OPEN…"): the page says what happens next.
  const fail = (kind: PlayerFailure['kind'], message: string, code?: string) => {
    reporter.paused();
    props.onFailure({ kind, message, ...(code ? { code } : {}) });
  };

  /**
   * The element failed. A decode fault is the file's (no fresh link helps); anything else may be a URL that
   * stopped working (expired, or a progressive file now in the bucket): fetch a new one and carry on where
   * playback was.
   */
  const recover = async () => {
    if (recovering || disposed) return;
    if (isDecodeFault(video.error)) return fail('media', "This video can't play in your browser.");
    const delay = retryDelay(stream().mode, failures, Date.now() - lastRefresh);
    if (delay === undefined) {
      if (stream().mode === 'progressive') return fail('load', 'The download stopped sending the video. Try again in a moment.');
      return fail('media', "The video stopped loading and a fresh link didn't help.");
    }
    recovering = true;
    failures += 1;
    pendingSeek = position() || pendingSeek;
    resumePlaying = playing() || resumePlaying;
    setBuffering(true);
    let fault: ApiError | undefined;
    try {
      if (delay) await new Promise((resolve) => setTimeout(resolve, delay));
      lastRefresh = Date.now();
      const fresh = await props.refresh();
      if (!disposed) setStream(fresh); // a new object even for the same URL: the source is attached again
    } catch (error) {
      fault = toApiError(error);
    } finally {
      recovering = false;
    }
    if (!fault || disposed) return;
    // The API or the worker restarting under a progressive stream: ask again (backing off, within the limit).
    if (stream().mode === 'progressive' && (fault.status === 0 || fault.status >= 500)) return void recover();
    fail('api', fault.message, fault.code);
  };

  const onMetadata = () => {
    if (Number.isFinite(video.duration)) setDuration(video.duration);
    if (pendingSeek !== undefined) {
      skipSeeked = true; // resuming is not a viewer's seek: no report for it
      video.currentTime = pendingSeek;
      pendingSeek = undefined;
    }
    applyTrackModes(video, track());
    // Browsers may refuse to start with sound before the viewer interacts: then the play mark (not a spinner) waits.
    if (resumePlaying) void tryPlay(video).then((started) => started || setBuffering(false));
    else setBuffering(false);
  };

  const onSeeked = () => {
    setPosition(video.currentTime);
    if (skipSeeked) skipSeeked = false;
    else reporter.seeked();
  };

  const onVisibility = () => document.visibilityState === 'hidden' && reporter.hidden();
  const onPageHide = () => reporter.hidden();
  const onFullscreen = () => setFullscreen(document.fullscreenElement === stage);

  /** Lock screen and media keys: this file's title and poster, and the player's own controls. */
  const bindSession = () =>
    props.nowPlaying
      ? bindMediaSession(props.nowPlaying, {
          play: () => void tryPlay(video),
          pause: () => video.pause(),
          seekBy: (seconds) => actions.seek(Math.min(Math.max(0, video.currentTime + seconds), Number.isFinite(video.duration) ? video.duration : Infinity)),
          seekTo: (seconds) => actions.seek(seconds),
          next: stream().next ? () => props.onNext() : undefined,
        })
      : undefined;
  const syncSession = () => props.nowPlaying && syncPosition(video);

  let unlisten: (() => void) | undefined;
  let unbindSession: (() => void) | undefined;
  onMount(() => {
    video.volume = playback.volume();
    video.muted = playback.muted();
    unlisten = listen([
      [document, 'keydown', onKey as EventListener],
      [document, 'visibilitychange', onVisibility],
      [document, 'fullscreenchange', onFullscreen],
      [window, 'pagehide', onPageHide],
      ...(['play', 'pause', 'seeked', 'durationchange', 'ratechange'] as const).map((type): [EventTarget, string, EventListener] => [video, type, syncSession]),
    ]);
  });
  // A refresh may bring (or drop) a next episode: the session's buttons follow.
  createEffect(
    on(
      () => Boolean(stream().next),
      () => {
        unbindSession?.();
        unbindSession = bindSession();
      },
    ),
  );
  createEffect(
    on(stream, (current) => {
      attachment?.destroy();
      unwatchStalls?.();
      attachment = attachSource(video, current, {
        startAt: pendingSeek,
        onGone: () => void recover(),
        onFatal: (message, media) => fail(media ? 'media' : 'load', message),
      });
      unwatchStalls = current.mode === 'progressive' ? watchStalls(video, STALL_MS, () => void recover()) : undefined;
      props.onStream?.(current);
    }),
  );
  onCleanup(() => {
    disposed = true;
    unwatchStalls?.();
    // Leaving the page inside the app: save the place like a tab close would, before the source goes
    // (detaching resets currentTime to 0, which would be saved instead and lose the resume point).
    reporter.hidden();
    reporter.dispose();
    attachment?.destroy();
    detachElement(video); // stop the download of a progressive stream right away
    clearTimeout(idleTimer);
    unlisten?.();
    unbindSession?.();
  });
  createEffect(() => applyTrackModes(video, track()));
  // Waiting while meant to play is a stall; waiting while paused (or before Play) is not.
  createEffect(() => props.onStatus?.({ positionSeconds: position(), buffering: buffering() && playing(), playing: playing() }));

  return (
    <div
      ref={stage}
      class="group/stage relative size-full bg-black"
      data-testid="player-stage"
      data-mode={stream().mode}
      classList={{ 'cursor-none': playing() && !active() }}
      onPointerMove={poke}
      onFocusIn={poke}
    >
      <video
        ref={video}
        aria-label="Video player"
        data-testid="player-video"
        class="size-full bg-black object-contain"
        crossOrigin="anonymous"
        playsinline
        preload="metadata"
        onClick={() => actions.togglePlay()}
        onDblClick={() => actions.toggleFullscreen()}
        onLoadedMetadata={onMetadata}
        onDurationChange={() => Number.isFinite(video.duration) && setDuration(video.duration)}
        onTimeUpdate={() => pendingSeek === undefined && setPosition(video.currentTime)} // a reload passes 0 before it seeks back
        onWaiting={() => {
          setBuffering(true);
          if (!video.seeking) reports.waiting();
        }}
        onCanPlay={() => setBuffering(false)}
        onPlaying={() => {
          setBuffering(false);
          failures = 0;
          reports.playing(video.currentTime);
          props.onPlaying?.();
        }}
        onPlay={() => {
          setPlaying(true);
          setEnded(false);
          reporter.playing();
        }}
        onPause={() => {
          setBuffering(false);
          setPlaying(false);
          reporter.paused();
        }}
        onSeeked={onSeeked}
        onEnded={() => {
          setEnded(true);
          reporter.ended();
        }}
        onVolumeChange={() => {
          playback.setVolume(video.volume);
          playback.setMuted(video.muted);
        }}
        onError={() => attachment?.engine() !== 'hls.js' && void recover()} // hls.js reports its own faults
      >
        <For each={tracks()}>
          {(t) => <track kind="subtitles" src={t.url} srclang={baseLanguage(t.language)} label={trackLabel(t)} onLoad={() => subtitleTiming.apply()} />}
        </For>
      </video>
      <StageMark playing={playing()} ended={ended()} buffering={buffering()} label={props.bufferingLabel} />
      <Show when={info()}>
        <PlaybackInfo mode={stream().mode} facts={stream().facts} video={video} onClose={() => setInfo(false)} />
      </Show>
      <SkipSegment segments={stream().segments} position={position()} autoSkip={playback.autoSkip()} onSkip={(seconds) => actions.seek(seconds)} />
      {/* Up next from the credits on, when the worker found them; else at the end. */}
      <Show when={(ended() || creditsStarted(stream().segments, position())) && stream().next}>
        {(next) => <UpNext next={next()} autoplay={props.autoplayNext} onPlay={() => props.onNext()} />}
      </Show>
      <PlayerControls
        visible={!playing() || active()}
        actions={actions}
        seekPreview={<Show when={stream().trickplay}>{(t) => <SeekPreview vttUrl={t().vttUrl} duration={duration()} />}</Show>}
        state={{
          playing: playing(),
          position: position(),
          duration: duration(),
          volume: playback.volume(),
          muted: playback.muted(),
          theater: playback.theater(),
          fullscreen: fullscreen(),
          tracks: tracks(),
          track: track(),
          timing: subtitleTiming.timing(),
          info: info(),
        }}
      />
    </div>
  );
}
