import Info from 'lucide-solid/icons/info';
import Maximize from 'lucide-solid/icons/maximize';
import Minimize from 'lucide-solid/icons/minimize';
import Pause from 'lucide-solid/icons/pause';
import Play from 'lucide-solid/icons/play';
import RectangleHorizontal from 'lucide-solid/icons/rectangle-horizontal';
import Volume2 from 'lucide-solid/icons/volume-2';
import VolumeX from 'lucide-solid/icons/volume-x';
import { Show, type JSX } from 'solid-js';
import type { StreamResponse } from '../../api/player';
import { SubtitleMenu, type SubtitleTiming } from './SubtitleMenu';

/** 75 -> "1:15", 3725 -> "1:02:05". */
export function clock(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '0:00';
  const s = Math.floor(seconds);
  const h = Math.floor(s / 3600);
  const mm = Math.floor((s % 3600) / 60);
  const ss = String(s % 60).padStart(2, '0');
  return h ? `${h}:${String(mm).padStart(2, '0')}:${ss}` : `${mm}:${ss}`;
}

export interface ControlState {
  playing: boolean;
  position: number;
  duration: number;
  volume: number;
  muted: boolean;
  theater: boolean;
  fullscreen: boolean;
  tracks: NonNullable<StreamResponse['subtitles']>;
  track: number;
  /** The showing track's offset and auto-sync (library files); absent: no timing controls. */
  timing?: SubtitleTiming | null;
  /** The "Playback info" panel is open. */
  info: boolean;
}

export interface ControlActions {
  togglePlay(): void;
  seek(seconds: number): void;
  setVolume(volume: number): void;
  toggleMute(): void;
  toggleTheater(): void;
  toggleFullscreen(): void;
  selectTrack(index: number): void;
  toggleInfo(): void;
}

const icon = 'grid size-10 shrink-0 place-items-center rounded-full text-white/85 transition-colors hover:bg-white/10 hover:text-white focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-accent';
const range = 'h-1 cursor-pointer appearance-none rounded-full bg-white/25 accent-[#00b7ff] focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-accent';

/** The bar over the bottom of the stage: seek, play, volume, subtitles, playback info, theater, fullscreen. */
export function PlayerControls(props: { state: ControlState; actions: ControlActions; visible: boolean; seekPreview?: JSX.Element }) {
  const s = () => props.state;
  return (
    <div
      class="absolute inset-x-0 bottom-0 z-10 bg-linear-to-t from-black/85 via-black/40 to-transparent px-3 pb-2 pt-10 transition-opacity duration-300 sm:px-5"
      classList={{ 'opacity-0 pointer-events-none': !props.visible }}
    >
      <div class="relative">
      {props.seekPreview /* scrub previews over the seek bar, when the file has them */}
      <input
        type="range"
        aria-label="Seek"
        aria-valuetext={`${clock(s().position)} of ${clock(s().duration)}`}
        min="0"
        max={Number.isFinite(s().duration) && s().duration > 0 ? s().duration : 0}
        step="1"
        value={s().position}
        onInput={(e) => props.actions.seek(Number(e.currentTarget.value))}
        class={`${range} w-full`}
      />
      </div>
      <div class="mt-1.5 flex items-center gap-1">
        <button type="button" class={icon} aria-label={s().playing ? 'Pause' : 'Play'} onClick={() => props.actions.togglePlay()}>
          <Show when={s().playing} fallback={<Play class="ml-0.5 size-5" fill="currentColor" strokeWidth={1.5} />}>
            <Pause class="size-5" fill="currentColor" strokeWidth={1.5} />
          </Show>
        </button>
        <button type="button" class={icon} aria-label={s().muted ? 'Unmute' : 'Mute'} onClick={() => props.actions.toggleMute()}>
          <Show when={s().muted || s().volume === 0} fallback={<Volume2 class="size-5" strokeWidth={1.75} />}>
            <VolumeX class="size-5" strokeWidth={1.75} />
          </Show>
        </button>
        <input
          type="range"
          aria-label="Volume"
          min="0"
          max="1"
          step="0.05"
          value={s().muted ? 0 : s().volume}
          onInput={(e) => props.actions.setVolume(Number(e.currentTarget.value))}
          class={`${range} hidden w-20 sm:block`}
        />
        <span class="ml-2 shrink-0 whitespace-nowrap font-mono text-xs tabular-nums text-white/75">
          {clock(s().position)} / {clock(s().duration)}
        </span>
        <span class="flex-1" />
        <SubtitleMenu tracks={s().tracks} selected={s().track} onSelect={(i) => props.actions.selectTrack(i)} class={icon} timing={s().timing} />
        <button type="button" class={icon} aria-label="Playback info" aria-pressed={s().info} onClick={() => props.actions.toggleInfo()}>
          <Info class="size-5" strokeWidth={1.75} classList={{ 'text-accent': s().info }} />
        </button>
        <button type="button" class={icon} aria-label="Theater mode" aria-pressed={s().theater} onClick={() => props.actions.toggleTheater()}>
          <RectangleHorizontal class="size-5" strokeWidth={1.75} classList={{ 'text-accent': s().theater }} />
        </button>
        <button type="button" class={icon} aria-label="Fullscreen" aria-pressed={s().fullscreen} onClick={() => props.actions.toggleFullscreen()}>
          <Show when={s().fullscreen} fallback={<Maximize class="size-5" strokeWidth={1.75} />}>
            <Minimize class="size-5" strokeWidth={1.75} />
          </Show>
        </button>
      </div>
    </div>
  );
}
