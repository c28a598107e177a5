import ChevronsRight from 'lucide-solid/icons/chevrons-right';
import { createEffect, createMemo, on, Show } from 'solid-js';
import { activeSegment, skipLabel, type SkipSegmentInfo } from './segments';

/**
 * "Skip intro" / "Skip credits" while the video is inside one, over the bottom left of the stage. With
 * auto-skip on, the player jumps past each segment once, as it enters it; seeking back into it afterwards
 * (the viewer wants to see it) is left alone and only offers the button.
 */
export function SkipSegment(props: {
  segments: readonly SkipSegmentInfo[] | undefined;
  position: number;
  autoSkip: boolean;
  onSkip: (seconds: number) => void;
}) {
  const current = createMemo(() => activeSegment(props.segments, props.position)); // the same object while inside one
  const skipped = new Set<string>();
  createEffect(
    on(current, (segment) => {
      if (!segment || !props.autoSkip) return;
      const key = `${segment.kind}:${segment.start}`;
      if (skipped.has(key)) return;
      skipped.add(key);
      props.onSkip(segment.end);
    }),
  );

  return (
    <Show when={current()}>
      {(segment) => (
        <button
          type="button"
          data-testid="skip-segment"
          data-kind={segment().kind}
          class="absolute bottom-24 left-4 z-20 inline-flex h-10 animate-pop items-center gap-2 rounded-full border border-white/25 bg-black/70 px-5 text-sm font-medium text-white shadow-float backdrop-blur-xl transition-colors hover:bg-white/15 focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-accent sm:left-6"
          onClick={(event) => {
            event.stopPropagation(); // not a click on the stage (which toggles play)
            props.onSkip(segment().end);
          }}
        >
          {skipLabel(segment())}
          <ChevronsRight class="size-4" strokeWidth={1.75} />
        </button>
      )}
    </Show>
  );
}
