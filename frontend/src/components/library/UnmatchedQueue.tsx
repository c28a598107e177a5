import { For, Show } from 'solid-js';
import { formatDuration } from '../../lib/format';
import { Poster } from '../media/Poster';
import { buttonStyles } from '../ui/button';
import { GuessDetails } from './GuessDetails';
import { episodeCode, formatConfidence, itemTitle, posterTitle, type UnmatchedCard } from './labels';

/** What the scanner read from the file name: "Title (1999) · S01E02". */
export function guessLine(guess: UnmatchedCard['guess']): string {
  const parts: string[] = [];
  parts.push(guess.title ? (guess.year ? `${guess.title} (${guess.year})` : guess.title) : 'No title found');
  if (guess.season != null && guess.episode != null) parts.push(episodeCode(guess.season, guess.episode));
  else if (guess.episode != null) parts.push(`Episode ${guess.episode}`);
  if (guess.episodeTitle) parts.push(guess.episodeTitle);
  return parts.join(' · ');
}

function QueueEntry(props: { item: UnmatchedCard; canEdit: boolean; onMatch: () => void; onIgnore: () => void }) {
  const name = () => itemTitle(props.item);
  const best = () => (props.item.candidates ?? []).slice(0, 3);
  return (
    <li>
      <article aria-label={name()} class="flex gap-4 rounded-2xl border border-line bg-surface p-4 sm:items-center">
        <div class="w-14 shrink-0 sm:w-16"><Poster title={posterTitle(props.item)} /></div>
        <div class="min-w-0 flex-1">
          <p class="truncate font-mono text-xs text-ink-subtle" title={props.item.fileName}>{props.item.fileName}</p>
          <p class="mt-1 truncate font-medium text-ink">{guessLine(props.item.guess)}</p>
          <GuessDetails guess={props.item.guess} name={name()} />
          <p class="mt-1 text-xs text-ink-muted">
            Confidence {formatConfidence(props.item.matchConfidence)}
            {props.item.durationSeconds ? ` · ${formatDuration(props.item.durationSeconds)}` : ''}
            {props.item.resolution ? ` · ${props.item.resolution}` : ''}
          </p>
          <Show when={best().length > 0} fallback={<p class="mt-2 text-xs text-ink-subtle">No likely titles found.</p>}>
            <ul aria-label={`Best candidates for ${name()}`} class="mt-2 flex flex-wrap gap-1.5">
              <For each={best()}>
                {(c) => (
                  <li class="rounded-full border border-line px-2.5 py-0.5 text-xs text-ink-muted">
                    {c.title}
                    {c.year ? ` (${c.year})` : ''}
                    {c.season != null && c.episode != null ? ` · ${episodeCode(c.season, c.episode)}` : ''}
                    <span class="ml-1.5 tabular-nums text-ink-subtle">{formatConfidence(c.confidence)}</span>
                  </li>
                )}
              </For>
            </ul>
          </Show>
        </div>
        <Show when={props.canEdit}>
          <div class="flex shrink-0 flex-col gap-2 sm:flex-row">
            <button type="button" class={buttonStyles.primary} onClick={() => props.onMatch()}>
              <span aria-hidden="true">Match…</span>
              <span class="sr-only">Match {name()}</span>
            </button>
            <button type="button" class={buttonStyles.ghost} onClick={() => props.onIgnore()}>
              <span aria-hidden="true">Ignore</span>
              <span class="sr-only">Ignore {name()}</span>
            </button>
          </div>
        </Show>
      </article>
    </li>
  );
}

/** The review queue: files the matcher was not sure about, with its parse, confidence and best guesses. */
export function UnmatchedQueue(props: {
  items: UnmatchedCard[];
  canEdit: boolean;
  onMatch: (item: UnmatchedCard) => void;
  onIgnore: (item: UnmatchedCard) => void;
}) {
  return (
    <ul aria-label="Unmatched files" class="flex flex-col gap-3">
      <For each={props.items}>
        {(item) => (
          <QueueEntry item={item} canEdit={props.canEdit} onMatch={() => props.onMatch(item)} onIgnore={() => props.onIgnore(item)} />
        )}
      </For>
    </ul>
  );
}
