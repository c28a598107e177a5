import Check from 'lucide-solid/icons/check';
import CheckCheck from 'lucide-solid/icons/check-check';
import { createMemo, Index, Show } from 'solid-js';
import { A } from '@solidjs/router';
import type { Episode, SeasonDetail, SeasonProgress } from '../../api/types';
import type { GetTarget } from '../../api/sources';
import { GetButton } from '../get/GetDialog';
import { formatDate, formatRelative, formatRuntime } from '../../lib/format';
import { placeholderArt } from '../../lib/placeholder';
import { buttonStyles } from '../ui/button';
import { OwnedChips } from './Owned';

interface Row {
  episode: Episode;
  id?: number;
  watched: boolean;
  aired: boolean;
  plays: number;
  lastWatchedAt: string | null;
}

function EpisodeStill(props: { url?: string | null; label: string }) {
  const art = () => placeholderArt(props.label);
  return (
    <div class="relative aspect-video w-32 shrink-0 overflow-hidden rounded-lg bg-raised sm:w-44">
      <Show when={props.url} fallback={<div class="absolute inset-0 opacity-80" style={{ background: art().background }} />}>
        <img src={props.url!} alt="" loading="lazy" class="absolute inset-0 size-full object-cover" />
      </Show>
    </div>
  );
}

const pad = (n: number) => String(n).padStart(2, '0');
/** "S01E02": the name the toggles carry (the e2e journey and screen readers find episodes by it). */
export const episodeCode = (season: number, episode: number) => `S${pad(season)}E${pad(episode)}`;

/** The episode's name, a link to its page when there is one. */
function EpisodeName(props: { name: string; href?: string }) {
  return (
    <p class="mt-0.5 truncate font-medium text-ink">
      <Show when={props.href} fallback={props.name}>
        {(href) => <A href={href()} class="rounded hover:underline focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-accent">{props.name}</A>}
      </Show>
    </p>
  );
}

/**
 * One season's episodes with a watched toggle each and "mark the season".
 * `episodeHref` links each episode's name to its page; `getTarget` adds a compact "Get S01E02" per episode
 * (aired ones, or all when progress is unknown).
 */
export function SeasonEpisodes(props: {
  showTitle: string;
  season: SeasonDetail;
  progress: SeasonProgress | undefined;
  onToggle: (episodeId: number, watched: boolean) => void;
  onToggleSeason: (watched: boolean) => void;
  episodeHref?: (season: number, episode: number) => string;
  getTarget?: (season: number, episode: number) => GetTarget;
}) {
  const rows = createMemo<Row[]>(() =>
    (props.season.episodes ?? []).map((episode) => {
      const state = props.progress?.episodes.find((e) => e.episodeNumber === episode.episodeNumber);
      return {
        episode, id: state?.id, watched: state?.watched ?? false, aired: state?.aired ?? false,
        plays: state?.plays ?? 0, lastWatchedAt: state?.lastWatchedAt ?? null,
      };
    }),
  );
  const complete = () => !!props.progress && props.progress.aired > 0 && props.progress.watched >= props.progress.aired;

  return (
    <div>
      <div class="mb-5 flex flex-wrap items-center justify-between gap-3">
        <p class="text-sm text-ink-muted">
          <Show when={props.progress} fallback={`${rows().length} episodes`}>
            {(p) => <>{p().watched} of {p().aired} aired episodes watched</>}
          </Show>
        </p>
        <Show when={props.progress && props.progress.aired > 0}>
          <button type="button" class={buttonStyles.secondary} onClick={() => props.onToggleSeason(!complete())}>
            <CheckCheck class="size-4" strokeWidth={1.75} />
            {complete() ? 'Unmark season' : 'Mark season watched'}
          </button>
        </Show>
      </div>
      <Show when={props.season.overview}>
        <p class="mb-6 max-w-3xl text-sm leading-relaxed text-ink-muted">{props.season.overview}</p>
      </Show>
      <ol class="flex flex-col gap-2" aria-label={`${props.season.name ?? `Season ${props.season.seasonNumber}`} episodes`}>
        <Index each={rows()} fallback={<li class="text-sm text-ink-muted">No episodes listed for this season yet.</li>}>
          {(row) => {
            // Index: rows keep their DOM (and focus) when their watched state changes.
            const label = () => `${props.showTitle} S${props.season.seasonNumber}E${row().episode.episodeNumber}`;
            const name = () => row().episode.name || `Episode ${row().episode.episodeNumber}`;
            const code = () => episodeCode(props.season.seasonNumber, row().episode.episodeNumber);
            return (
              <li
                class="group flex items-center gap-4 rounded-2xl border border-transparent p-2.5 transition-colors hover:border-line hover:bg-surface sm:gap-5"
                classList={{ 'opacity-55': !row().aired && !!props.progress }}
              >
                <EpisodeStill url={row().episode.stillUrl} label={label()} />
                <div class="min-w-0 flex-1">
                  <p class="text-xs font-medium tabular-nums text-ink-subtle">
                    Episode {row().episode.episodeNumber}
                    <Show when={row().episode.airDate}> · {formatDate(row().episode.airDate)}</Show>
                    <Show when={formatRuntime(row().episode.runtimeMinutes)}>{(r) => <> · {r()}</>}</Show>
                    <Show when={row().watched && row().lastWatchedAt}>
                      <span class="text-ok"> · watched {formatRelative(row().lastWatchedAt)}{row().plays > 1 ? ` (${row().plays}×)` : ''}</span>
                    </Show>
                    <OwnedChips owned={row().episode.owned} code={code()} />
                  </p>
                  <EpisodeName name={name()} href={props.episodeHref?.(props.season.seasonNumber, row().episode.episodeNumber)} />
                  <Show when={row().episode.overview}>
                    <p class="mt-1 line-clamp-2 hidden text-sm leading-snug text-ink-muted sm:block">{row().episode.overview}</p>
                  </Show>
                </div>
                <Show when={props.getTarget && (row().aired || !props.progress)}>
                  <GetButton
                    target={props.getTarget!(props.season.seasonNumber, row().episode.episodeNumber)}
                    label={`Get ${code()}`}
                    compact
                    class={`${buttonStyles.icon} shrink-0`}
                  />
                </Show>
                <Show when={row().id !== undefined && row().aired} fallback={<span class="w-10 shrink-0 text-center text-xs text-ink-subtle">{row().aired || !props.progress ? '' : 'Soon'}</span>}>
                  <button
                    type="button"
                    aria-pressed={row().watched}
                    aria-label={`${code()} ${name()} watched`}
                    onClick={() => props.onToggle(row().id!, !row().watched)}
                    class="grid size-10 shrink-0 place-items-center rounded-full border transition-[background-color,border-color,color] duration-200"
                    classList={{
                      'border-ok/40 bg-ok/15 text-ok': row().watched,
                      'border-line-strong text-ink-subtle hover:border-accent/50 hover:text-accent-ink': !row().watched,
                    }}
                  >
                    <Check class="size-[18px]" strokeWidth={row().watched ? 2.5 : 1.75} />
                  </button>
                </Show>
              </li>
            );
          }}
        </Index>
      </ol>
    </div>
  );
}
