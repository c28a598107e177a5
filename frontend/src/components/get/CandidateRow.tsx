import { For, Show } from 'solid-js';
import type { SourceCandidate } from '../../api/types';
import { formatBytes } from '../../lib/format';
import { parsedOf, points, releaseFacts, swarmLine } from './labels';
import { ScoreBars } from './ScoreBars';

function Facts(props: { candidate: SourceCandidate }) {
  return (
    <p class="mt-1.5 flex flex-wrap gap-1.5">
      <For each={releaseFacts(parsedOf(props.candidate))}>
        {(fact) => <span class="rounded-full border border-line-strong px-2 py-0.5 text-[11px] text-ink-muted">{fact}</span>}
      </For>
    </p>
  );
}

/** Size, swarm and where it was found: "1.4 GB · 38 seeders · 2 leechers · Demo indexer". */
export function StatsLine(props: { candidate: SourceCandidate }) {
  const c = () => props.candidate;
  return (
    <p class="mt-1.5 text-xs tabular-nums text-ink-subtle">
      {[formatBytes(c().size), swarmLine(c()), c().indexer].filter(Boolean).join(' · ')}
    </p>
  );
}

/** A release that fits: a radio (arrow keys move between releases) with its score, parts and reasons. */
export function CandidateRow(props: { candidate: SourceCandidate; best: boolean; checked: boolean; onSelect: () => void }) {
  const c = () => props.candidate;
  return (
    <li>
      <label
        class="flex cursor-pointer gap-3 rounded-2xl border p-3.5 transition-colors has-[:focus-visible]:ring-2 has-[:focus-visible]:ring-accent"
        classList={{ 'border-accent/50 bg-accent-soft': props.checked, 'border-line hover:bg-hover': !props.checked }}
      >
        <input type="radio" name="release" class="mt-1 size-4 shrink-0 accent-accent" aria-label={c().name} checked={props.checked} onChange={() => props.onSelect()} />
        <div class="min-w-0 flex-1">
          <div class="flex items-start justify-between gap-3">
            <p class="min-w-0 break-all font-mono text-xs leading-relaxed text-ink">{c().name}</p>
            <p class="shrink-0 text-right">
              <span class="text-lg font-semibold tabular-nums text-ink">{points(c().score.total)}</span>
              <span class="sr-only"> points of 100</span>
            </p>
          </div>
          <Show when={props.best}>
            <p class="mt-1 text-xs font-medium text-accent-ink">Best match</p>
          </Show>
          <Facts candidate={c()} />
          <StatsLine candidate={c()} />
          <div class="mt-3"><ScoreBars score={c().score} /></div>
          <Show when={c().reasons.length}>
            <ul aria-label="Why" class="mt-3 list-disc space-y-0.5 pl-4 text-xs text-ink-muted">
              <For each={c().reasons}>{(reason) => <li>{reason}</li>}</For>
            </ul>
          </Show>
        </div>
      </label>
    </li>
  );
}

/** The releases the scoring refused, folded away; each says why. */
export function RejectedList(props: { candidates: SourceCandidate[] }) {
  return (
    <details class="group rounded-2xl border border-line">
      <summary class="cursor-pointer select-none rounded-2xl px-3.5 py-3 text-sm text-ink-muted hover:text-ink focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-accent">
        {props.candidates.length} rejected {props.candidates.length === 1 ? 'release' : 'releases'}
      </summary>
      <ul aria-label="Rejected releases" class="flex flex-col divide-y divide-line border-t border-line">
        <For each={props.candidates}>
          {(c) => (
            <li class="px-3.5 py-3">
              <p class="break-all font-mono text-xs text-ink-muted">{c.name}</p>
              <p class="mt-1 text-xs text-danger">{c.rejected}</p>
              <StatsLine candidate={c} />
            </li>
          )}
        </For>
      </ul>
    </details>
  );
}
