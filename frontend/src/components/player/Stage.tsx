import type { JSX } from 'solid-js';

/**
 * The black frame the player sits in: 16:9 on the page; in theater mode (the app shell hidden) the whole
 * window, the video letterboxed inside it so none of it is cut.
 */
export function Stage(props: { theater: boolean; children: JSX.Element }) {
  return (
    <div
      data-testid="player-frame"
      class="relative w-full overflow-hidden bg-black shadow-[0_30px_80px_-30px_rgb(0_0_0/0.9)] transition-[margin,border-radius] duration-300"
      classList={{
        'aspect-video max-h-[72dvh] rounded-2xl ring-1 ring-white/5': !props.theater,
        'h-dvh': props.theater,
      }}
    >
      {props.children}
    </div>
  );
}
