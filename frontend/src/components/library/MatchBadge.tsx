import { MATCH_LABELS, type MatchState } from './labels';

const TONES: Record<MatchState, string> = {
  matched: 'border-ok/30 text-ok',
  unmatched: 'border-warn/35 text-warn',
  ignored: 'border-line-strong text-ink-subtle',
};

/** "Matched" / "Unmatched" / "Ignored": a quiet pill, colour as a hint only (the word carries the meaning). */
export function MatchBadge(props: { state: MatchState; class?: string }) {
  return (
    <span
      class={`inline-flex h-6 items-center rounded-full border bg-black/55 px-2.5 text-[11px] font-medium tracking-wide backdrop-blur-md ${TONES[props.state]} ${props.class ?? ''}`}
    >
      {MATCH_LABELS[props.state]}
    </span>
  );
}
