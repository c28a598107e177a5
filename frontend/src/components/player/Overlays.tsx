import Play from 'lucide-solid/icons/play';
import { Show } from 'solid-js';

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
