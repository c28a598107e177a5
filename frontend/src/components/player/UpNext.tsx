import SkipForward from 'lucide-solid/icons/skip-forward';
import { createSignal, onCleanup, onMount, Show } from 'solid-js';
import { episodeCode } from '../library/labels';
import { buttonStyles } from '../ui/button';
import type { UpNextInfo } from '../../api/player';
import { createCountdown, UP_NEXT_SECONDS } from './countdown';

/**
 * The end-of-episode card: the next episode, and (with autoplay on) a
 * countdown the viewer can cancel. "Play now" skips the wait.
 */
export function UpNext(props: { next: UpNextInfo; autoplay: boolean; onPlay: () => void }) {
  const [remaining, setRemaining] = createSignal(UP_NEXT_SECONDS);
  const [counting, setCounting] = createSignal(props.autoplay);
  const countdown = createCountdown({ seconds: UP_NEXT_SECONDS, onTick: setRemaining, onDone: () => props.onPlay() });
  onMount(() => props.autoplay && countdown.start());
  onCleanup(() => countdown.cancel());

  const playNow = () => {
    countdown.cancel(); // whether or not it was counting, play exactly once
    props.onPlay();
  };
  const cancel = () => {
    countdown.cancel();
    setCounting(false);
  };
  const code = () => (props.next.season != null && props.next.episode != null ? episodeCode(props.next.season, props.next.episode) : undefined);
  const label = () => [code(), props.next.title].filter(Boolean).join(' · ') || 'Next file';

  return (
    <section
      aria-labelledby="up-next-title"
      data-testid="up-next"
      class="absolute bottom-24 right-4 z-20 w-72 max-w-[calc(100%-2rem)] animate-pop rounded-2xl border border-white/10 bg-black/80 p-4 text-white shadow-float backdrop-blur-xl sm:right-6"
    >
      <h2 id="up-next-title" class="text-xs font-medium uppercase tracking-[0.14em] text-white/55">Up next</h2>
      <p class="mt-1.5 truncate text-sm font-medium">{label()}</p>
      <Show when={counting()}>
        <p class="mt-1 text-xs text-white/60" aria-live="polite">Starts in {remaining()} s</p>
        <div aria-hidden="true" class="mt-3 h-0.5 overflow-hidden rounded-full bg-white/15">
          <div class="h-full bg-accent transition-[width] duration-1000 ease-linear" style={{ width: `${(remaining() / UP_NEXT_SECONDS) * 100}%` }} />
        </div>
      </Show>
      <div class="mt-4 flex gap-2">
        <button type="button" class={`${buttonStyles.primary} h-9 flex-1`} onClick={playNow}>
          <SkipForward class="size-4" strokeWidth={1.75} />
          Play now
        </button>
        <Show when={counting()}>
          <button type="button" class="h-9 rounded-full border border-white/20 px-4 text-sm text-white/80 transition-colors hover:bg-white/10" onClick={cancel}>
            Cancel autoplay
          </button>
        </Show>
      </div>
    </section>
  );
}
