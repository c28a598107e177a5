import { A } from '@solidjs/router';
import Play from 'lucide-solid/icons/play';
import { Show } from 'solid-js';
import { formatDuration, titleHref } from '../../lib/format';
import { Poster } from '../media/Poster';
import { buttonStyles } from '../ui/button';
import { itemSubtitle, itemTitle, looksPlayable, posterTitle, watchHref, type LibraryCard } from './labels';
import { MatchBadge } from './MatchBadge';

/** Details in one line: year or SxxEyy, resolution, duration. */
function metaLine(item: LibraryCard): string {
  return [itemSubtitle(item), item.resolution, item.durationSeconds ? formatDuration(item.durationSeconds) : undefined]
    .filter(Boolean)
    .join(' · ');
}

/**
 * One file in the library grid: the poster plays it (when a browser can), the
 * title opens the matched title's page, and admins can match an unmatched file.
 */
export function LibraryItemCard(props: { item: LibraryCard; canEdit: boolean; onMatch: (item: LibraryCard) => void }) {
  const name = () => itemTitle(props.item);
  const media = () => props.item.media;
  const poster = () => <Poster title={posterTitle(props.item)} class="transition-transform duration-300 ease-out-soft group-hover:-translate-y-1" />;

  return (
    <article aria-label={name()} class="group relative w-full animate-enter">
      <div class="relative">
        <Show when={looksPlayable(props.item)} fallback={<div class="opacity-70">{poster()}</div>}>
          <A
            href={watchHref(props.item.id)}
            aria-label={`Play ${name()}`}
            class="block rounded-xl outline-none focus-visible:ring-2 focus-visible:ring-accent focus-visible:ring-offset-4 focus-visible:ring-offset-canvas"
          >
            {poster()}
            <span
              aria-hidden="true"
              class="absolute inset-0 grid place-items-center rounded-xl bg-black/45 opacity-0 transition-opacity duration-300 group-hover:opacity-100 group-focus-within:opacity-100"
            >
              <span class="grid size-12 place-items-center rounded-full bg-white/90 text-black shadow-float">
                <Play class="ml-0.5 size-5" fill="currentColor" strokeWidth={1.5} />
              </span>
            </span>
          </A>
        </Show>
        <MatchBadge state={props.item.matchState} class="pointer-events-none absolute left-2 top-2" />
      </div>
      <Show when={media()} fallback={<p class="mt-3 truncate text-sm font-medium text-ink" title={props.item.fileName}>{props.item.title}</p>}>
        {(m) => (
          <A href={titleHref({ id: m().id, mediaType: m().mediaType === 'show' ? 'show' : 'movie' })} class="mt-3 block truncate text-sm font-medium text-ink hover:text-accent-ink">
            {props.item.title}
          </A>
        )}
      </Show>
      <Show when={props.item.episode?.title}>
        {(title) => <p class="truncate text-xs text-ink-muted">{title()}</p>}
      </Show>
      <p class="mt-0.5 truncate text-xs text-ink-subtle">{metaLine(props.item) || props.item.fileName}</p>
      <Show when={!looksPlayable(props.item)}>
        <p class="mt-1 text-xs text-warn">Not playable in the browser</p>
      </Show>
      <Show when={props.canEdit && props.item.matchState === 'unmatched'}>
        <button type="button" class={`${buttonStyles.ghost} -ml-3 mt-1`} onClick={() => props.onMatch(props.item)}>
          <span aria-hidden="true">Match…</span>
          <span class="sr-only">Match {name()}</span>
        </button>
      </Show>
    </article>
  );
}
