import { A } from '@solidjs/router';
import Bookmark from 'lucide-solid/icons/bookmark';
import BookmarkCheck from 'lucide-solid/icons/bookmark-check';
import Info from 'lucide-solid/icons/info';
import { Show } from 'solid-js';
import type { MediaSummary } from '../../api/types';
import { mediaTypeLabel, titleHref } from '../../lib/format';
import { watchLater } from '../../stores/membership';
import { Hero } from '../media/Hero';
import { Poster } from '../media/Poster';
import { ScoreBadge } from '../media/Rating';
import { buttonStyles } from '../ui/button';

/** The big title at the top of Discover: the first pick of the first row. */
export function FeaturedHero(props: { title: MediaSummary; eyebrow: string }) {
  const saved = () => watchLater.has(props.title.id);
  return (
    <Hero title={props.title.title} backdropUrl={props.title.backdropUrl}>
      <div class="flex items-end gap-8">
        <div class="hidden w-44 shrink-0 sm:block lg:w-52">
          <Poster title={props.title} eager class="shadow-[0_30px_60px_-20px_rgb(0_0_0/0.8)]" />
        </div>
        <div class="min-w-0 max-w-2xl pb-1">
          <p class="text-xs font-medium uppercase tracking-[0.2em] text-accent-ink">{props.eyebrow}</p>
          <h2 class="mt-3 text-4xl font-semibold leading-[1.05] tracking-tight text-ink sm:text-5xl lg:text-6xl">{props.title.title}</h2>
          <p class="mt-4 flex flex-wrap items-center gap-x-3 gap-y-1 text-sm text-ink-muted">
            <span>{mediaTypeLabel(props.title.mediaType)}</span>
            <Show when={props.title.year}>
              <span aria-hidden="true">·</span>
              <span>{props.title.year}</span>
            </Show>
            <Show when={props.title.genres?.length}>
              <span aria-hidden="true">·</span>
              <span>{props.title.genres!.slice(0, 3).join(', ')}</span>
            </Show>
            <Show when={props.title.voteAverage}>
              <span aria-hidden="true">·</span>
              <ScoreBadge value={props.title.voteAverage} class="text-sm" />
            </Show>
          </p>
          <div class="mt-7 flex flex-wrap gap-3">
            <A href={titleHref(props.title)} class={`${buttonStyles.primary} h-11 px-6`}>
              <Info class="size-4" strokeWidth={2} />
              View details
            </A>
            <button
              type="button"
              class={`${buttonStyles.secondary} h-11 bg-white/5 backdrop-blur-md`}
              aria-pressed={saved()}
              onClick={() => void watchLater.toggle(props.title.id, props.title.title)}
            >
              <Show when={saved()} fallback={<Bookmark class="size-4" strokeWidth={1.75} />}>
                <BookmarkCheck class="size-4 text-accent" strokeWidth={2} />
              </Show>
              {saved() ? 'In watch later' : 'Watch later'}
            </button>
          </div>
        </div>
      </div>
    </Hero>
  );
}
