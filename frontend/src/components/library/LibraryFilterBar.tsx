import Search from 'lucide-solid/icons/search';
import { createSignal, For, onCleanup } from 'solid-js';
import { chipStyles, fieldStyles } from '../ui/form';
import type { LibraryFilters } from './filters';

export type LibraryFilterPatch = Partial<Record<'type' | 'state' | 'q', string | undefined>>;

const TYPES = [
  { value: undefined, label: 'Everything' },
  { value: 'movie', label: 'Movies' },
  { value: 'show', label: 'Episodes' },
] as const;

const SEARCH_DEBOUNCE_MS = 300;

/** Media type chips, match state, and a search box that waits for a pause in typing. */
export function LibraryFilterBar(props: { filters: LibraryFilters; onChange: (patch: LibraryFilterPatch) => void }) {
  const [draft, setDraft] = createSignal(props.filters.query ?? '');
  let timer: ReturnType<typeof setTimeout> | undefined;
  onCleanup(() => clearTimeout(timer));
  const typed = (value: string) => {
    setDraft(value);
    clearTimeout(timer);
    timer = setTimeout(() => props.onChange({ q: value.trim() || undefined }), SEARCH_DEBOUNCE_MS);
  };

  return (
    <div class="mb-8 flex flex-wrap items-center gap-2.5">
      <div role="group" aria-label="Media type" class="flex gap-2">
        <For each={TYPES}>
          {(type) => (
            <button
              type="button"
              class={chipStyles(props.filters.mediaType === type.value)}
              aria-pressed={props.filters.mediaType === type.value}
              onClick={() => props.onChange({ type: type.value })}
            >
              {type.label}
            </button>
          )}
        </For>
      </div>
      <label class="sr-only" for="library-state">Match state</label>
      <select
        id="library-state"
        class={fieldStyles.select}
        value={props.filters.matchState ?? ''}
        onChange={(e) => props.onChange({ state: e.currentTarget.value || undefined })}
      >
        <option value="">Any match state</option>
        <option value="matched">Matched</option>
        <option value="unmatched">Unmatched</option>
        <option value="ignored">Ignored</option>
      </select>
      <div class="relative min-w-48 flex-1 sm:max-w-xs">
        <Search class="pointer-events-none absolute left-3.5 top-1/2 size-4 -translate-y-1/2 text-ink-subtle" strokeWidth={1.75} aria-hidden="true" />
        <input
          type="search"
          aria-label="Search library"
          placeholder="Search files and titles"
          class={`${fieldStyles.input} h-10 rounded-full pl-10`}
          value={draft()}
          onInput={(e) => typed(e.currentTarget.value)}
        />
      </div>
    </div>
  );
}
