import { For, Show } from 'solid-js';
import type { UnmatchedCard } from './labels';

type Guess = UnmatchedCard['guess'];

/** The parsed fields worth showing, in reading order; empty ones are left out. */
export function guessFields(guess: Guess): { label: string; value: string }[] {
  const fields: [string, string | number | null | undefined][] = [
    ['Title', guess.title],
    ['Year', guess.year],
    ['Season', guess.season],
    ['Episode', guess.episodes && guess.episodes.length > 1 ? guess.episodes.join(', ') : guess.episode],
    ['Absolute', guess.absolute],
    ['Air date', guess.airDate],
  ];
  const shown = fields.filter((f): f is [string, string | number] => f[1] != null && f[1] !== '');
  if (guess.pack) shown.push(['Episode', 'whole season (pack)']);
  return shown.map(([label, value]) => ({ label, value: String(value) }));
}

/** What the scanner read from the path, field by field, and the evidence that corrected guessit's reading. */
export function GuessDetails(props: { guess: Guess; name: string }) {
  const evidence = () => props.guess.evidence ?? [];
  return (
    <div class="mt-2 text-xs">
      <dl aria-label={`Parsed fields of ${props.name}`} class="flex flex-wrap gap-x-4 gap-y-1">
        <For each={guessFields(props.guess)}>
          {(field) => (
            <div class="flex gap-1">
              <dt class="text-ink-subtle">{field.label}</dt>
              <dd class="tabular-nums text-ink">{field.value}</dd>
            </div>
          )}
        </For>
      </dl>
      <Show when={evidence().length > 0}>
        <ul aria-label={`Evidence for ${props.name}`} class="mt-1 list-disc pl-4 text-ink-muted">
          <For each={evidence()}>{(line) => <li>{line}</li>}</For>
        </ul>
      </Show>
    </div>
  );
}
