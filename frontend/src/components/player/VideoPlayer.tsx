import Play from 'lucide-solid/icons/play';
import { createEffect, createSignal, For, onCleanup, onMount, Show } from 'solid-js';
import { toApiError } from '../../api/client';
import { playback } from '../../stores/playback';
import { sendProgress, type ProgressTarget, type StreamResponse } from './api';
import { applyTrackModes, listen, resumeAt, toggleFullscreen, tryPlay } from './media';
import { PlayerControls, type ControlActions } from './PlayerControls';
import { createProgressReporter } from './progress';
import { actionForKey, stepPosition, stepVolume, type PlayerAction } from './shortcuts';
import { baseLanguage, pickDefaultTrack, trackLabel } from './subtitles';
import { UpNext } from './UpNext';

export interface VideoPlayerProps {
  stream: StreamResponse;
  /** A fresh stream (new presigned URLs) after the current one stopped working. */
  refresh: () => Promise<StreamResponse>;
  /** What progress is saved against; absent for files not matched to a title. */
  target?: ProgressTarget;
  fallbackDuration?: number | null;
  subtitleLanguage: string | null;
  autoplayNext: boolean;
  onNext: (libraryItemId: string) => void;
  onProgressError?: (error: unknown) => void;
  onFailure: (message: string) => void;
}

/** A second refresh this soon after the last one means the file itself is the problem. */
const REFRESH_COOLDOWN_MS = 30_000;
const IDLE_MS = 2500;

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
  let lastTrack = track();
  let pendingSeek: number | undefined = resumeAt(props.stream.resume?.positionSeconds, fallbackDuration) || undefined;
  let skipSeeked = false;
  let resumePlaying = true;
  let lastRefresh = 0;
  let idleTimer: ReturnType<typeof setTimeout> | undefined;

  const reporter = createProgressReporter({
    read: () => ({ positionSeconds: video.currentTime, durationSeconds: video.duration || fallbackDuration || 0 }),
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
  };

  const onKey = (event: KeyboardEvent) => {
    const action = actionForKey(event);
    if (!action) return;
    event.preventDefault();
    perform[action]();
    poke();
  };

  /** The presigned URL probably expired: fetch a new one and carry on where playback was. */
  const recover = async () => {
    if (Date.now() - lastRefresh < REFRESH_COOLDOWN_MS) {
      reporter.paused();
      props.onFailure(video.error?.message || "The video stopped loading and a fresh link didn't help.");
      return;
    }
    lastRefresh = Date.now();
    pendingSeek = position() || pendingSeek;
    resumePlaying = playing() || resumePlaying;
    try {
      const fresh = await props.refresh();
      const same = fresh.url === stream().url;
      setStream(fresh);
      if (same) video.load(); // signed in the same second: reload by hand so a lasting fault surfaces
    } catch (error) {
      props.onFailure(toApiError(error).message);
    }
  };

  const onMetadata = () => {
    if (Number.isFinite(video.duration)) setDuration(video.duration);
    if (pendingSeek !== undefined) {
      skipSeeked = true; // resuming is not a viewer's seek: no report for it
      video.currentTime = pendingSeek;
      pendingSeek = undefined;
    }
    applyTrackModes(video, track());
    // Browsers may refuse to start with sound before the viewer interacts: then the play button waits.
    if (resumePlaying) void tryPlay(video);
  };

  const onSeeked = () => {
    setPosition(video.currentTime);
    if (skipSeeked) skipSeeked = false;
    else reporter.seeked();
  };

  const onVisibility = () => document.visibilityState === 'hidden' && reporter.hidden();
  const onPageHide = () => reporter.hidden();
  const onFullscreen = () => setFullscreen(document.fullscreenElement === stage);

  let unlisten: (() => void) | undefined;
  onMount(() => {
    video.volume = playback.volume();
    video.muted = playback.muted();
    unlisten = listen([
      [document, 'keydown', onKey as EventListener],
      [document, 'visibilitychange', onVisibility],
      [document, 'fullscreenchange', onFullscreen],
      [window, 'pagehide', onPageHide],
    ]);
  });
  onCleanup(() => {
    reporter.hidden(); // leaving the page inside the app: save the place like a tab close would
    reporter.dispose();
    clearTimeout(idleTimer);
    unlisten?.();
  });
  createEffect(() => applyTrackModes(video, track()));

  return (
    <div
      ref={stage}
      class="group/stage relative size-full bg-black"
      classList={{ 'cursor-none': playing() && !active() }}
      onPointerMove={poke}
      onFocusIn={poke}
    >
      <video
        ref={video}
        aria-label="Video player"
        data-testid="player-video"
        class="size-full bg-black object-contain"
        src={stream().url}
        crossOrigin="anonymous"
        playsinline
        preload="metadata"
        onClick={() => actions.togglePlay()}
        onDblClick={() => actions.toggleFullscreen()}
        onLoadedMetadata={onMetadata}
        onDurationChange={() => Number.isFinite(video.duration) && setDuration(video.duration)}
        onTimeUpdate={() => setPosition(video.currentTime)}
        onPlay={() => {
          setPlaying(true);
          setEnded(false);
          reporter.playing();
        }}
        onPause={() => {
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
        onError={() => void recover()}
      >
        <For each={tracks()}>
          {(t) => <track kind="subtitles" src={t.url} srclang={baseLanguage(t.language)} label={trackLabel(t)} />}
        </For>
      </video>
      <Show when={!playing() && !ended()}>
        <div aria-hidden="true" class="pointer-events-none absolute inset-0 grid place-items-center">
          <span class="grid size-16 place-items-center rounded-full bg-black/55 text-white ring-1 ring-white/15 backdrop-blur-md">
            <Play class="ml-1 size-7" fill="currentColor" strokeWidth={1.5} />
          </span>
        </div>
      </Show>
      <Show when={ended() && stream().next}>
        {(next) => <UpNext next={next()} autoplay={props.autoplayNext} onPlay={() => props.onNext(next().libraryItemId)} />}
      </Show>
      <PlayerControls
        visible={!playing() || active()}
        actions={actions}
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
        }}
      />
    </div>
  );
}
