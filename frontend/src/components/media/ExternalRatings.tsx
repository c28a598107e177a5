import { For, Match, Show, Switch } from 'solid-js';
import type { ExternalRating } from '../../api/types';

const NAME: Record<ExternalRating['source'], string> = {
  imdb: 'IMDb',
  rotten_tomatoes: 'Rotten Tomatoes',
  metacritic: 'Metacritic',
};
const ORDER: ExternalRating['source'][] = ['imdb', 'rotten_tomatoes', 'metacritic'];

/** "7.8/10" -> "7.8"; "91%" and "74/100" -> "91", "74" (IMDb's badge adds a dim "/10"; Metacritic's box and
 * the tomato's percent say their scale). */
export const shortValue = (rating: ExternalRating) => rating.value.replace(/\/(10|100)$/, '').trim();

/** The score on 0..100, from `score` or else read from the value. */
export function scoreOf(rating: ExternalRating): number | undefined {
  if (rating.score != null) return rating.score;
  const match = /^([\d.]+)\s*(?:\/\s*(\d+)|%)?$/.exec(rating.value.trim());
  if (!match) return undefined;
  const value = Number(match[1]);
  const scale = match[2] ? Number(match[2]) : 100;
  return Number.isFinite(value) && scale > 0 ? (value / scale) * 100 : undefined;
}

/** Metacritic's own colours: green 61+, yellow 40–60, red below. */
const metaTone = (score: number | undefined) =>
  score === undefined ? 'bg-white/15 text-ink' : score >= 61 ? 'bg-[#66cc33] text-black' : score >= 40 ? 'bg-[#ffcc33] text-black' : 'bg-[#ff0000] text-white';

/** A tomato (fresh, 60%+) or a green splat (rotten), drawn small. */
function Tomato(props: { fresh: boolean }) {
  return (
    <svg viewBox="0 0 16 16" class="size-3.5 shrink-0" aria-hidden="true">
      <Show
        when={props.fresh}
        fallback={<path fill="#0fc755" d="M8 2.5 9.6 5.6 13 4.4 11 7.4 14 9.6 10.4 10 10.6 13.6 8 11.2 5.4 13.6 5.6 10 2 9.6 5 7.4 3 4.4 6.4 5.6Z" />}
      >
        <circle cx="8" cy="9" r="6" fill="#fa320a" />
        <path fill="#00912d" d="M8 3.2c-.9-1-2.2-1.3-3.2-1 1 .3 1.7.9 2.1 1.6-1 .1-1.9.6-2.4 1.3 1.2-.3 2.3-.2 3.5.4 1.2-.6 2.3-.7 3.5-.4-.5-.7-1.4-1.2-2.4-1.3.4-.7 1.1-1.3 2.1-1.6-1-.3-2.3 0-3.2 1Z" />
      </Show>
    </svg>
  );
}

function Badge(props: { rating: ExternalRating; compact?: boolean }) {
  const score = () => scoreOf(props.rating);
  const votes = () => (props.rating.votes ? ` from ${props.rating.votes.toLocaleString()} votes` : '');
  return (
    <li
      class="inline-flex items-center gap-1.5 text-xs font-semibold tabular-nums"
      aria-label={`${NAME[props.rating.source]} ${props.rating.value}${votes()}`}
      title={`${NAME[props.rating.source]} ${props.rating.value}${votes()}`}
    >
      <Switch>
        <Match when={props.rating.source === 'imdb'}>
          <span aria-hidden="true" class="rounded-[3px] bg-[#f5c518] px-1 py-px text-[10px] font-black leading-tight tracking-tight text-black">
            IMDb
          </span>
          <span aria-hidden="true">
            {shortValue(props.rating)}
            <Show when={/\/10$/.test(props.rating.value.trim())}>
              <span class="font-medium opacity-60">/10</span>
            </Show>
          </span>
        </Match>
        <Match when={props.rating.source === 'rotten_tomatoes'}>
          <Tomato fresh={(score() ?? 0) >= 60} />
          <span aria-hidden="true">{props.rating.value}</span>
        </Match>
        <Match when={props.rating.source === 'metacritic'}>
          <span aria-hidden="true" class={`grid h-5 min-w-5 place-items-center rounded-[3px] px-0.5 text-[11px] font-bold ${metaTone(score())}`}>
            {shortValue(props.rating)}
          </span>
          <Show when={!props.compact}>
            <span aria-hidden="true" class="font-medium opacity-70">Metascore</span>
          </Show>
        </Match>
      </Switch>
    </li>
  );
}

/** IMDb, Rotten Tomatoes and Metacritic scores as compact badges in their familiar looks. */
export function ExternalRatings(props: {
  ratings: ExternalRating[] | null | undefined;
  compact?: boolean;
  /** `image`: white text, for badges over artwork. */
  tone?: 'image';
  class?: string;
}) {
  const sorted = () => [...(props.ratings ?? [])].filter((r) => r.value).sort((a, b) => ORDER.indexOf(a.source) - ORDER.indexOf(b.source));
  return (
    <Show when={sorted().length}>
      <ul aria-label="Ratings" class={`flex flex-wrap items-center gap-x-3 gap-y-1 ${props.tone === 'image' ? 'text-white' : 'text-ink'} ${props.class ?? ''}`}>
        <For each={sorted()}>{(rating) => <Badge rating={rating} compact={props.compact} />}</For>
      </ul>
    </Show>
  );
}
