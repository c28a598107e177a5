import { A } from '@solidjs/router';
import ChevronLeft from 'lucide-solid/icons/chevron-left';
import ChevronRight from 'lucide-solid/icons/chevron-right';
import { createSignal, For, onCleanup, onMount, Show, type JSX } from 'solid-js';
import type { TitleLike } from '../../api/types';
import { PosterCard } from './PosterCard';

let rowIds = 0;

/**
 * A Netflix-style row: scrolls sideways by touch, trackpad, the arrow buttons,
 * or ←/→/Home/End while the row has focus. Titles stay real links for Tab.
 */
export function MediaRow(props: {
  title: string;
  titles: TitleLike[];
  subtitle?: string;
  seeAllHref?: string;
  showType?: boolean;
  item?: (title: TitleLike) => JSX.Element;
}) {
  const id = `row-${++rowIds}`;
  let scroller!: HTMLDivElement;
  const [atStart, setAtStart] = createSignal(true);
  const [atEnd, setAtEnd] = createSignal(false);

  const update = () => {
    setAtStart(scroller.scrollLeft <= 4);
    setAtEnd(scroller.scrollLeft + scroller.clientWidth >= scroller.scrollWidth - 4);
  };
  const page = (direction: 1 | -1) =>
    scroller.scrollBy({ left: direction * Math.max(200, scroller.clientWidth * 0.85), behavior: 'smooth' });

  const onKeyDown = (event: KeyboardEvent) => {
    if (event.target !== scroller) return;
    if (event.key === 'ArrowRight') page(1);
    else if (event.key === 'ArrowLeft') page(-1);
    else if (event.key === 'Home') scroller.scrollTo({ left: 0, behavior: 'smooth' });
    else if (event.key === 'End') scroller.scrollTo({ left: scroller.scrollWidth, behavior: 'smooth' });
    else return;
    event.preventDefault();
  };

  onMount(() => {
    update();
    const observer = new ResizeObserver(update);
    observer.observe(scroller);
    onCleanup(() => observer.disconnect());
  });

  const arrow =
    'grid size-9 place-items-center rounded-full border border-line text-ink-muted transition-[color,border-color,opacity] duration-200 hover:border-line-strong hover:text-ink disabled:opacity-30 disabled:pointer-events-none';

  return (
    <section aria-labelledby={`${id}-title`} class="group/row">
      <div class="mb-4 flex items-end justify-between gap-4">
        <div class="min-w-0">
          <h2 id={`${id}-title`} class="truncate text-lg font-medium tracking-tight text-ink">
            {props.title}
          </h2>
          <Show when={props.subtitle}>
            <p class="mt-0.5 text-sm text-ink-subtle">{props.subtitle}</p>
          </Show>
        </div>
        <div class="flex shrink-0 items-center gap-2">
          <Show when={props.seeAllHref}>
            {(href) => (
              <A href={href()} class="mr-1 text-sm text-ink-muted transition-colors hover:text-accent-ink">
                See all
              </A>
            )}
          </Show>
          <div class="hidden items-center gap-2 sm:flex">
            <button type="button" class={arrow} aria-label={`Scroll ${props.title} back`} disabled={atStart()} onClick={() => page(-1)}>
              <ChevronLeft class="size-4" strokeWidth={1.75} />
            </button>
            <button type="button" class={arrow} aria-label={`Scroll ${props.title} forward`} disabled={atEnd()} onClick={() => page(1)}>
              <ChevronRight class="size-4" strokeWidth={1.75} />
            </button>
          </div>
        </div>
      </div>
      <div
        ref={scroller}
        role="group"
        aria-roledescription="carousel"
        aria-label={props.title}
        tabindex="0"
        onScroll={update}
        onKeyDown={onKeyDown}
        class="no-scrollbar -mx-5 flex snap-x snap-mandatory scroll-px-5 gap-4 overflow-x-auto px-5 pb-4 pt-1 outline-none focus-visible:ring-2 focus-visible:ring-inset focus-visible:ring-accent/40 sm:-mx-8 sm:scroll-px-8 sm:px-8 lg:-mx-12 lg:scroll-px-12 lg:gap-5 lg:px-12"
      >
        <For each={props.titles}>
          {(title) => (
            <div class="w-[8.5rem] shrink-0 snap-start sm:w-40 lg:w-44">
              {props.item ? props.item(title) : <PosterCard title={title} showType={props.showType} />}
            </div>
          )}
        </For>
      </div>
    </section>
  );
}
