import Play from 'lucide-solid/icons/play';
import { Show } from 'solid-js';
import type { PlayMode } from './api';

const MODE_HINT: Record<PlayMode, string> = {
  direct: 'Playing the file as it is',
  remux: 'Playing the same streams repackaged as MP4',
  hls: 'Playing a version converted for this browser',
  progressive: 'Playing while it downloads',
  stored: 'Playing the stored file',
};

/** The big play mark while paused, or a spinner while the video waits for data. */
export function StageMark(props: { playing: boolean; ended: boolean; buffering: boolean; label?: string }) {
  return (
    <Show
      when={props.buffering && !props.ended}
      fallback={
        <Show when={!props.playing && !props.ended}>
          <div aria-hidden="true" class="pointer-events-none absolute inset-0 grid place-items-center">
            <span class="grid size-16 place-items-center rounded-full bg-black/55 text-white ring-1 ring-white/15 backdrop-blur-md">
              <Play class="ml-1 size-7" fill="currentColor" strokeWidth={1.5} />
            </span>
          </div>
        </Show>
      }
    >
      <Buffering label={props.label ?? 'Buffering…'} />
    </Show>
  );
}

/** A spinner with a line of text; also the waiting state of the pages before a player exists. */
export function Buffering(props: { label: string; detail?: string }) {
  return (
    <div data-testid="player-buffering" role="status" class="pointer-events-none absolute inset-0 grid place-items-center p-6 text-center text-white">
      <div class="flex flex-col items-center gap-3">
        <span aria-hidden="true" class="size-12 animate-spin rounded-full border-2 border-white/20 border-t-white" />
        <p class="text-sm font-medium text-white/85">{props.label}</p>
        <Show when={props.detail}>
          <p class="text-xs tabular-nums text-white/60">{props.detail}</p>
        </Show>
      </div>
    </div>
  );
}

/** Which way the video reaches the browser (direct, remux, hls, progressive, stored), shown with the controls. */
export function ModeBadge(props: { mode: PlayMode; visible: boolean }) {
  return (
    <span
      data-testid="player-mode"
      title={MODE_HINT[props.mode]}
      class="absolute left-3 top-3 z-10 rounded-full bg-black/60 px-2.5 py-0.5 font-mono text-[11px] tracking-wide text-white/75 ring-1 ring-white/10 backdrop-blur-md transition-opacity duration-300 sm:left-5 sm:top-4"
      classList={{ 'opacity-0': !props.visible }}
    >
      {props.mode}
    </span>
  );
}
