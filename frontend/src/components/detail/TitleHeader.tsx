import { createSignal, For, Show, type JSX } from 'solid-js';
import type { OwnedCopy } from '../../api/mediaServers';
import type { CrewCredit, ExternalRating, GenreTag, TitleLike } from '../../api/types';
import { CrewLine } from '../people/CastRow';
import { ExternalRatings } from '../media/ExternalRatings';
import { Hero } from '../media/Hero';
import { Poster } from '../media/Poster';
import { ScoreBadge } from '../media/Rating';
import { OwnedBadges } from './Owned';

export interface TitleHeaderProps {
  title: TitleLike & {
    tagline?: string | null;
    overview?: string | null;
    backdropUrl?: string | null;
    voteCount?: number;
    /** The title's wordmark (transparent artwork), shown instead of the text title. */
    logoUrl?: string | null;
    externalRatings?: ExternalRating[] | null;
  };
  facts: (string | undefined | null | false)[];
  /** Key crew (Director, Writer, ...) under the overview. */
  crew?: CrewCredit[];
  genres?: GenreTag[];
  /** Copies on the household's Jellyfin or Plex servers: "On your Jellyfin", "Open in Jellyfin". */
  owned?: OwnedCopy[] | null;
  actions: JSX.Element;
  below?: JSX.Element;
}

/** Backdrop, poster, title, facts, score, where you own it, overview and the page's actions. */
export function TitleHeader(props: TitleHeaderProps) {
  const [logoFailed, setLogoFailed] = createSignal(false);
  const logo = () => (logoFailed() ? undefined : props.title.logoUrl);
  return (
    <Hero title={props.title.title} backdropUrl={props.title.backdropUrl}>
      <div class="flex flex-col gap-8 sm:flex-row sm:items-end lg:gap-12">
        <div class="w-36 shrink-0 sm:w-48 lg:w-60">
          <Poster title={props.title} alt={`Poster of ${props.title.title}`} eager class="shadow-[0_30px_60px_-20px_rgb(0_0_0/0.8)]" />
        </div>
        <div class="min-w-0 flex-1">
          <Show when={logo()}>
            {(src) => (
              <img
                src={src()}
                alt=""
                aria-hidden="true"
                data-testid="title-logo"
                onError={() => setLogoFailed(true)}
                class="max-h-28 w-auto max-w-[min(100%,26rem)] object-contain object-left drop-shadow-[0_6px_24px_rgb(0_0_0/0.6)] sm:max-h-36"
              />
            )}
          </Show>
          {/* With a wordmark the heading stays, for screen readers and the page outline. */}
          <h1 id="page-title" class="text-4xl font-semibold leading-[1.05] tracking-tight text-ink sm:text-5xl" classList={{ 'sr-only': !!logo() }}>
            {props.title.title}
          </h1>
          <Show when={props.title.tagline}>
            <p class="mt-3 text-lg italic text-ink-muted">{props.title.tagline}</p>
          </Show>
          <p class="mt-4 flex flex-wrap items-center gap-x-3 gap-y-1 text-sm text-ink-muted">
            <For each={props.facts.filter(Boolean) as string[]}>
              {(fact, index) => (
                <>
                  <Show when={index() > 0}>
                    <span aria-hidden="true" class="text-ink-subtle">·</span>
                  </Show>
                  <span>{fact}</span>
                </>
              )}
            </For>
            <Show when={props.title.voteAverage}>
              <span aria-hidden="true" class="text-ink-subtle">·</span>
              <ScoreBadge value={props.title.voteAverage} class="text-sm" />
              <Show when={props.title.voteCount}>
                <span class="text-xs text-ink-subtle">({props.title.voteCount!.toLocaleString()} votes)</span>
              </Show>
            </Show>
          </p>
          <OwnedBadges owned={props.owned} title={props.title.title} />
          <ExternalRatings ratings={props.title.externalRatings} class="mt-4" />
          <Show when={props.genres?.length}>
            <ul aria-label="Genres" class="mt-4 flex flex-wrap gap-2">
              <For each={props.genres}>
                {(genre) => <li class="rounded-full border border-line-strong bg-white/5 px-3 py-1 text-xs text-ink-muted backdrop-blur-md">{genre.name}</li>}
              </For>
            </ul>
          </Show>
          <div class="mt-7 flex flex-wrap items-center gap-3">{props.actions}</div>
        </div>
      </div>
      <Show when={props.title.overview}>
        <p class="mt-10 max-w-3xl text-base leading-relaxed text-ink-muted">{props.title.overview}</p>
      </Show>
      <Show when={props.crew?.length}>
        <CrewLine crew={props.crew!} />
      </Show>
      {props.below}
    </Hero>
  );
}
