import type { JSX } from 'solid-js';

/** The black frame the player sits in: 16:9 on the page, wider and taller in theater mode. */
export function Stage(props: { theater: boolean; children: JSX.Element }) {
  return (
    <div
      class="relative overflow-hidden bg-black shadow-[0_30px_80px_-30px_rgb(0_0_0/0.9)] transition-[margin,border-radius] duration-300"
      classList={{
        'aspect-video max-h-[72dvh] w-full rounded-2xl ring-1 ring-white/5': !props.theater,
        '-mx-5 h-[min(82dvh,56.25vw)] sm:-mx-8 lg:-mx-12 lg:-mt-4': props.theater,
      }}
    >
      {props.children}
    </div>
  );
}
