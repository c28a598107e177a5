import { A } from '@solidjs/router';
import Bookmark from 'lucide-solid/icons/bookmark';
import BookmarkCheck from 'lucide-solid/icons/bookmark-check';
import { Show, type JSX } from 'solid-js';
import type { TitleLike } from '../../api/types';
import { mediaTypeLabel, titleHref } from '../../lib/format';
import { watchLater } from '../../stores/membership';
import { Poster } from './Poster';
import { ExternalRatings } from './ExternalRatings';
import { ScoreBadge } from './Rating';

/**
 * A title in a grid or row: poster, title, year. Hovering lifts the poster;
 * a quick "watch later" toggle sits on it (a sibling of the link, not inside it).
 */
export function PosterCard(props: {
  title: TitleLike;
  showType?: boolean;
  subtitle?: JSX.Element;
  quickAction?: boolean;
}) {
  const saved = () => watchLater.has(props.title.id);
  return (
    <div class="group relative w-full">
      <A
        href={titleHref(props.title)}
        class="block rounded-xl outline-none focus-visible:ring-2 focus-visible:ring-accent focus-visible:ring-offset-4 focus-visible:ring-offset-canvas"
      >
        <div class="relative transition-transform duration-300 ease-out-soft group-hover:-translate-y-1">
          <Poster title={props.title} class="shadow-[0_10px_30px_-12px_rgb(0_0_0/0.7)] transition-shadow duration-300 group-hover:shadow-[0_18px_40px_-14px_rgb(0_183_255/0.35)]" />
          <div
            aria-hidden="true"
            class="pointer-events-none absolute inset-0 rounded-xl bg-linear-to-t from-black/60 via-transparent to-transparent opacity-0 transition-opacity duration-300 group-hover:opacity-100"
          />
          <Show when={props.title.externalRatings?.length || props.title.voteAverage}>
            <span class="absolute bottom-2 left-2 right-2 flex rounded-full opacity-0 transition-opacity duration-300 group-hover:opacity-100">
              <span class="rounded-full bg-black/60 px-2 py-0.5 backdrop-blur-md">
                {/* IMDb and friends when the list carries them, else the community score. */}
                <Show when={props.title.externalRatings?.length} fallback={<ScoreBadge value={props.title.voteAverage} class="text-white" />}>
                  <ExternalRatings ratings={props.title.externalRatings} compact tone="image" class="gap-x-2" />
                </Show>
              </span>
            </span>
          </Show>
        </div>
        <p class="mt-3 truncate text-sm font-medium text-ink" title={props.title.title}>
          {props.title.title}
        </p>
        <p class="mt-0.5 truncate text-xs text-ink-subtle">
          {props.subtitle ?? (
            <>
              {props.title.year ?? '—'}
              {props.showType ? ` · ${mediaTypeLabel(props.title.mediaType)}` : ''}
            </>
          )}
        </p>
      </A>
      <Show when={props.quickAction !== false}>
        <button
          type="button"
          aria-pressed={saved()}
          aria-label={saved() ? `Remove ${props.title.title} from watch later` : `Add ${props.title.title} to watch later`}
          title={saved() ? 'In watch later' : 'Watch later'}
          onClick={() => void watchLater.toggle(props.title.id, props.title.title)}
          class="absolute right-2 top-2 grid size-8 place-items-center rounded-full bg-black/55 text-white backdrop-blur-md transition-[opacity,background-color] duration-200 hover:bg-black/75 focus-visible:opacity-100 group-hover:opacity-100"
          classList={{ 'opacity-0': !saved(), 'opacity-100 text-accent': saved() }}
        >
          <Show when={saved()} fallback={<Bookmark class="size-4" strokeWidth={1.75} />}>
            <BookmarkCheck class="size-4 text-accent" strokeWidth={2} />
          </Show>
        </button>
      </Show>
    </div>
  );
}
