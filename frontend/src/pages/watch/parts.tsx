import { A } from '@solidjs/router';
import ArrowLeft from 'lucide-solid/icons/arrow-left';
import { Show, type JSX } from 'solid-js';
import { Stage } from '../../components/player/Stage';
import { buttonStyles } from '../../components/ui/button';

/** Where a player page goes back to: the library or Downloads. */
export interface BackTo {
  href: string;
  /** The back link's name ("Library"). */
  label: string;
  /** The button's name after playback stopped ("Back to the library"). */
  stopped: string;
}

/** A player page: the way back (hidden in theater mode), then the page's states. */
export function PlayerPage(props: { back: BackTo; theater: boolean; children: JSX.Element }) {
  return (
    <div class="animate-enter">
      <A href={props.back.href} class={`${buttonStyles.ghost} -ml-3 mb-4`} classList={{ 'hidden!': props.theater }}>
        <ArrowLeft class="size-4" strokeWidth={1.75} />
        {props.back.label}
      </A>
      {props.children}
    </div>
  );
}

/** The stage with the player on it, or why playback stopped and a way to try again; `overlay` sits over either. */
export function PlayerStage(props: { back: BackTo; theater: boolean; stopped?: string; onRetry: () => void; overlay?: JSX.Element; children: JSX.Element }) {
  return (
    <Stage theater={props.theater}>
      <Show when={!props.stopped} fallback={<PlaybackStopped message={props.stopped!} back={props.back} onRetry={props.onRetry} />}>
        {props.children}
      </Show>
      {props.overlay}
    </Stage>
  );
}

function PlaybackStopped(props: { message: string; back: BackTo; onRetry: () => void }) {
  return (
    <div role="alert" class="grid size-full place-items-center p-8 text-center text-white">
      <div class="max-w-md">
        <p class="text-lg font-medium">Playback stopped</p>
        <p class="mt-2 text-sm text-white/65">{props.message}</p>
        <div class="mt-6 flex justify-center gap-3">
          <button type="button" class={buttonStyles.primary} onClick={() => props.onRetry()}>Try again</button>
          <A href={props.back.href} class={buttonStyles.secondary}>{props.back.stopped}</A>
        </div>
      </div>
    </div>
  );
}

/** The heading under the player: the title and, when known, its quality. */
export function TitleLine(props: { title: string; quality?: string | null }) {
  return (
    <div class="flex flex-wrap items-center gap-3">
      <h1 class="text-2xl font-semibold tracking-tight text-ink sm:text-3xl">{props.title}</h1>
      <Show when={props.quality}>
        <span data-testid="player-quality" class="rounded-md border border-line px-1.5 py-0.5 text-xs font-medium text-ink-muted">{props.quality}</span>
      </Show>
    </div>
  );
}
