import SlidersHorizontal from 'lucide-solid/icons/sliders-horizontal';
import X from 'lucide-solid/icons/x';
import { For, Show } from 'solid-js';
import type { Genre } from '../../api/types';
import { chipStyles, fieldStyles } from '../ui/form';
import { activeFilterCount, RATINGS, RELEASED, SORTS, type CatalogFilters } from './filters';

export type FilterPatch = Partial<Record<'genre' | 'released' | 'rating' | 'sort' | 'type', string | undefined>>;

/**
 * Genre chips (scrollable) plus release window, minimum rating and sort. Any
 * change goes through `onChange` (the page writes it to the URL and resets to page 1).
 */
export function FilterBar(props: {
  filters: CatalogFilters;
  genres: Genre[] | undefined;
  onChange: (patch: FilterPatch) => void;
  showSort?: boolean;
  sortLabel?: string;
}) {
  return (
    <div class="flex flex-col gap-4">
      <div role="group" aria-label="Genre" class="no-scrollbar -mx-5 flex gap-2 overflow-x-auto px-5 [mask-image:linear-gradient(to_right,transparent,black_1.25rem,black_calc(100%-3rem),transparent)] sm:-mx-8 sm:px-8 lg:-mx-12 lg:px-12">
        <button type="button" class={chipStyles(!props.filters.genre)} aria-pressed={!props.filters.genre} onClick={() => props.onChange({ genre: undefined })}>
          All genres
        </button>
        <Show when={props.genres} fallback={<For each={[1, 2, 3, 4, 5]}>{() => <span aria-hidden="true" class="h-9 w-24 shrink-0 animate-shimmer rounded-full bg-raised" />}</For>}>
          <For each={props.genres}>
            {(genre) => (
              <button
                type="button"
                class={chipStyles(props.filters.genre === genre.slug)}
                aria-pressed={props.filters.genre === genre.slug}
                onClick={() => props.onChange({ genre: props.filters.genre === genre.slug ? undefined : genre.slug })}
              >
                {genre.name}
              </button>
            )}
          </For>
        </Show>
      </div>
      <div class="flex flex-wrap items-center gap-2.5">
        <SlidersHorizontal class="mr-1 hidden size-4 text-ink-subtle sm:block" strokeWidth={1.75} aria-hidden="true" />
        <label class="sr-only" for="filter-released">Released</label>
        <select id="filter-released" class={fieldStyles.select} value={props.filters.released ?? ''} onChange={(e) => props.onChange({ released: e.currentTarget.value || undefined })}>
          <option value="">Any year</option>
          <For each={RELEASED}>{(option) => <option value={option.value}>{option.label}</option>}</For>
        </select>
        <label class="sr-only" for="filter-rating">Minimum rating</label>
        <select id="filter-rating" class={fieldStyles.select} value={props.filters.rating ?? ''} onChange={(e) => props.onChange({ rating: e.currentTarget.value || undefined })}>
          <option value="">Any rating</option>
          <For each={RATINGS}>{(option) => <option value={option.value}>Rated {option.label}</option>}</For>
        </select>
        <Show when={props.showSort !== false}>
          <label class="sr-only" for="filter-sort">Sort by</label>
          <select id="filter-sort" class={fieldStyles.select} value={props.filters.sort ?? ''} onChange={(e) => props.onChange({ sort: e.currentTarget.value || undefined })}>
            <option value="">{props.sortLabel ?? 'Popular'}</option>
            <For each={SORTS.filter((s) => props.sortLabel || s.value !== 'popular')}>{(option) => <option value={option.value}>{option.label}</option>}</For>
          </select>
        </Show>
        <Show when={activeFilterCount(props.filters) > 0}>
          <button
            type="button"
            class="inline-flex h-10 items-center gap-1.5 rounded-full px-3 text-sm text-ink-muted transition-colors hover:text-ink"
            onClick={() => props.onChange({ genre: undefined, released: undefined, rating: undefined })}
          >
            <X class="size-4" strokeWidth={1.75} />
            Clear filters
          </button>
        </Show>
      </div>
    </div>
  );
}
