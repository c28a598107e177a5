import { For } from 'solid-js';
import type { SourceCandidate } from '../../api/types';
import { points, SCORE_PARTS } from './labels';

/** One bar per score part (0–100), labelled with its weight in the total. */
export function ScoreBars(props: { score: SourceCandidate['score'] }) {
  return (
    <ul aria-label="Score parts" class="grid grid-cols-2 gap-x-5 gap-y-1.5">
      <For each={SCORE_PARTS}>
        {(part) => {
          const value = () => points(props.score[part.key]);
          return (
            <li class="min-w-0">
              <p class="flex justify-between gap-2 text-[11px] text-ink-subtle">
                <span>{part.label} <span class="sr-only">(weight {part.weight}%)</span></span>
                <span class="tabular-nums">{value()}</span>
              </p>
              <div
                role="meter"
                aria-label={part.label}
                aria-valuemin={0}
                aria-valuemax={100}
                aria-valuenow={value()}
                class="mt-1 h-1 overflow-hidden rounded-full bg-white/10"
              >
                <div
                  class="h-full rounded-full"
                  classList={{ 'bg-ok': value() >= 70, 'bg-accent': value() >= 40 && value() < 70, 'bg-warn': value() < 40 }}
                  style={{ width: `${value()}%` }}
                />
              </div>
            </li>
          );
        }}
      </For>
    </ul>
  );
}
