import { A } from '@solidjs/router';
import type { LucideIcon } from 'lucide-solid';
import { Index, Match, Switch, type JSX } from 'solid-js';
import { ApiError } from '../../api/client';
import { PartBoundary } from '../ui/ErrorBoundary';
import { ErrorState } from '../ui/ErrorState';
import { Section } from '../ui/Page';
import { LoadingLabel, PosterSkeleton } from '../ui/Skeleton';

/** What a widget has to show right now; the page decides once per render from the one dashboard response. */
export type WidgetState = 'loading' | 'failed' | 'degraded' | 'empty' | 'ready';

export interface WidgetEmpty {
  icon: LucideIcon;
  text: string;
  actionLabel: string;
  actionHref: string;
}

/**
 * One dashboard widget: always a labelled region (it never disappears), holding
 * a skeleton, its own error, an empty state with a next step, or its cards. A card
 * that throws while rendering breaks this widget only ("This part couldn't load.").
 */
export function WidgetSection(props: {
  id: string;
  title: string;
  state: WidgetState;
  empty: WidgetEmpty;
  seeAllHref?: string;
  /** Reloads the data; a returned promise is waited for before a broken widget renders again. */
  onRetry: () => unknown;
  skeleton?: JSX.Element;
  children: JSX.Element;
}) {
  const aside = () =>
    props.seeAllHref && props.state === 'ready' ? (
      <A href={props.seeAllHref} class="text-sm text-ink-muted transition-colors hover:text-accent-ink">
        See all
      </A>
    ) : undefined;
  return (
    <Section id={props.id} title={props.title} aside={aside()}>
      <PartBoundary name={`dashboard widget "${props.id}"`} onRetry={props.onRetry}>
        <Switch>
          <Match when={props.state === 'loading'}>
            <LoadingLabel label={`Loading ${props.title.toLowerCase()}…`} />
            {props.skeleton ?? <RowSkeleton />}
          </Match>
          <Match when={props.state === 'failed'}>
            <p class="rounded-2xl border border-dashed border-line px-5 py-6 text-sm text-ink-subtle">
              Not loaded: the dashboard could not be reached.
            </p>
          </Match>
          <Match when={props.state === 'degraded'}>
            <ErrorState compact error={unavailable(props.title)} title={`${props.title} is unavailable`} onRetry={props.onRetry} />
          </Match>
          <Match when={props.state === 'empty'}>
            <EmptyWidget {...props.empty} />
          </Match>
          <Match when={props.state === 'ready'}>{props.children}</Match>
        </Switch>
      </PartBoundary>
    </Section>
  );
}

function unavailable(title: string): ApiError {
  return new ApiError(503, 'unavailable', `The source behind ${title.toLowerCase()} failed; the rest of your dashboard is fine.`);
}

/** A quieter empty state than the page-level one: nine of them can share a screen. */
function EmptyWidget(props: WidgetEmpty) {
  return (
    <div class="flex flex-col items-start gap-4 rounded-2xl border border-line bg-surface px-5 py-6 sm:flex-row sm:items-center">
      <span class="grid size-10 shrink-0 place-items-center rounded-xl border border-line-strong bg-raised text-accent-ink">
        <props.icon class="size-5" strokeWidth={1.75} />
      </span>
      <p class="min-w-0 flex-1 text-sm leading-relaxed text-ink-muted">{props.text}</p>
      <A
        href={props.actionHref}
        class="inline-flex h-9 shrink-0 items-center rounded-full border border-line-strong px-4 text-sm text-ink transition-colors hover:bg-hover"
      >
        {props.actionLabel}
      </A>
    </div>
  );
}

function RowSkeleton() {
  return (
    <div class="flex gap-4 overflow-hidden">
      <Index each={Array.from({ length: 7 })}>
        {() => (
          <div class="w-[8.5rem] shrink-0 sm:w-40 lg:w-44">
            <PosterSkeleton />
          </div>
        )}
      </Index>
    </div>
  );
}

/** Poster cards, wider ones (continue watching), or 16:9 video cards with their actions under them. */
const cardWidth = (props: { wide?: boolean; video?: boolean }) =>
  props.video
    ? '[&>li]:w-[16.5rem] sm:[&>li]:w-72 lg:[&>li]:w-80'
    : props.wide
      ? '[&>li]:w-[10.5rem] sm:[&>li]:w-48 lg:[&>li]:w-52'
      : '[&>li]:w-[8.5rem] sm:[&>li]:w-40 lg:[&>li]:w-44';

/**
 * A sideways-scrolling row of cards. Unlike MediaRow it adds no region of its
 * own, so each widget is exactly one region named by its heading.
 */
export function CardRow(props: { label: string; wide?: boolean; video?: boolean; children: JSX.Element }) {
  return (
    <ul
      aria-label={props.label}
      class={`no-scrollbar -mx-5 flex snap-x snap-mandatory scroll-px-5 gap-4 overflow-x-auto px-5 pb-3 pt-1 sm:-mx-8 sm:scroll-px-8 sm:px-8 lg:-mx-12 lg:scroll-px-12 lg:gap-5 lg:px-12 [&>li]:shrink-0 [&>li]:snap-start ${cardWidth(props)}`}
    >
      {props.children}
    </ul>
  );
}
