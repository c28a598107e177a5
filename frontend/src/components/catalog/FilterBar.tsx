import SlidersHorizontal from 'lucide-solid/icons/sliders-horizontal';
import X from 'lucide-solid/icons/x';
import { For, Show } from 'solid-js';
import type { Genre } from '../../api/types';
import { chipStyles, fieldStyles } from '../ui/form';
import {
  activeFilterCount,
  COUNTRIES,
  countryName,
  FILTER_KEYS,
  LANGUAGES,
  languageName,
  RATINGS,
  RELEASED,
  SORTS,
  VOTES,
  type CatalogFilters,
} from './filters';

export type FilterPatch = Partial<Record<(typeof FILTER_KEYS)[number] | 'sort' | 'type', string | undefined>>;

/** A language the results hold, with how many titles (the search's own distribution). */
export interface LanguageCount {
  language: string;
  count: number;
}

/** The choices of a select, with the current value kept even when the list does not name it. */
function withCurrent(options: { value: string; label: string }[], current: string | undefined, name: (c: string) => string) {
  return current && !options.some((o) => o.value === current) ? [{ value: current, label: name(current) }, ...options] : options;
}

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
  /** The search's languages with their counts: the language choices then come from the results. */
  languages?: LanguageCount[];
}) {
  const languages = () =>
    withCurrent(
      props.languages
        ? props.languages.map((l) => ({ value: l.language, label: `${languageName(l.language)} (${l.count.toLocaleString('en-US')})` }))
        : LANGUAGES,
      props.filters.language,
      languageName,
    );
  const countries = () => withCurrent(COUNTRIES, props.filters.country, countryName);
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
      {/* one row that scrolls sideways on a phone (six selects would stack five rows high), wrapping from sm up */}
      <div
        role="group"
        aria-label="Filters"
        class="no-scrollbar -mx-5 flex items-center gap-2.5 overflow-x-auto px-5 sm:mx-0 sm:flex-wrap sm:overflow-visible sm:px-0 [&>select]:shrink-0"
      >
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
        <label class="sr-only" for="filter-language">Original language</label>
        <select id="filter-language" class={fieldStyles.select} value={props.filters.language ?? ''} onChange={(e) => props.onChange({ lang: e.currentTarget.value || undefined })}>
          <option value="">Any language</option>
          <For each={languages()}>{(option) => <option value={option.value}>{option.label}</option>}</For>
        </select>
        <label class="sr-only" for="filter-country">Country of origin</label>
        <select id="filter-country" class={fieldStyles.select} value={props.filters.country ?? ''} onChange={(e) => props.onChange({ country: e.currentTarget.value || undefined })}>
          <option value="">Any country</option>
          <For each={countries()}>{(option) => <option value={option.value}>{option.label}</option>}</For>
        </select>
        <label class="sr-only" for="filter-votes">Minimum votes</label>
        <select id="filter-votes" class={fieldStyles.select} value={props.filters.votes ?? ''} onChange={(e) => props.onChange({ votes: e.currentTarget.value || undefined })}>
          <option value="">Any number of votes</option>
          <For each={VOTES}>{(option) => <option value={option.value}>{option.label}</option>}</For>
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
            onClick={() => props.onChange(Object.fromEntries(FILTER_KEYS.map((key) => [key, undefined])))}
          >
            <X class="size-4" strokeWidth={1.75} />
            Clear filters
          </button>
        </Show>
      </div>
    </div>
  );
}
