import { useNavigate } from '@solidjs/router';
import Search from 'lucide-solid/icons/search';
import { createSignal, For, onCleanup, onMount, Show } from 'solid-js';
import { fetchSuggestions as suggest } from '../../api/catalog';
import type { Suggestion } from '../../api/types';
import { mediaTypeLabel, titleHref } from '../../lib/format';
import { Poster } from '../media/Poster';

/** True when a keypress is meant for a field the user is typing in. */
function isEditable(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName);
}

export const SUGGEST_DEBOUNCE_MS = 180;

type Status = 'idle' | 'loading' | 'ready' | 'error';

/**
 * Global search: a WAI-ARIA combobox. Suggestions (GET /search/suggest) appear
 * as you type, debounced; ↑/↓ move through them, Enter opens the highlighted
 * title or, with none highlighted, the full results page; Esc closes, then
 * leaves the field. "/" focuses it from anywhere.
 */
export function SearchField() {
  const navigate = useNavigate();
  let input!: HTMLInputElement;
  const [query, setQuery] = createSignal('');
  const [items, setItems] = createSignal<Suggestion[]>([]);
  const [status, setStatus] = createSignal<Status>('idle');
  const [open, setOpen] = createSignal(false);
  const [active, setActive] = createSignal(-1);
  let timer: ReturnType<typeof setTimeout> | undefined;
  let version = 0;

  /** Suggestions, then one "see all results" option. */
  const optionCount = () => items().length + 1;
  const optionId = (index: number) => `search-option-${index}`;

  const fetchSuggestions = async (q: string) => {
    const mine = ++version;
    setStatus('loading');
    try {
      const found = await suggest(q);
      if (mine !== version) return;
      setItems(found);
      setStatus('ready');
    } catch {
      if (mine !== version) return;
      setItems([]);
      setStatus('error');
    }
  };

  const onInput = (value: string) => {
    setQuery(value);
    setActive(-1);
    clearTimeout(timer);
    const q = value.trim();
    if (!q) {
      version++;
      setItems([]);
      setStatus('idle');
      setOpen(false);
      return;
    }
    setOpen(true);
    timer = setTimeout(() => void fetchSuggestions(q.slice(0, 100)), SUGGEST_DEBOUNCE_MS);
  };

  const close = () => {
    setOpen(false);
    setActive(-1);
  };

  const choose = (index: number) => {
    const q = query().trim();
    const item = items()[index];
    close();
    if (item) {
      setQuery('');
      setItems([]);
      input.blur();
      navigate(titleHref(item));
    } else if (q) {
      input.blur();
      navigate(`/app/search?q=${encodeURIComponent(q)}`);
    }
  };

  const onKeyDown = (event: KeyboardEvent) => {
    switch (event.key) {
      case 'ArrowDown':
        event.preventDefault();
        if (!query().trim()) return;
        setOpen(true);
        setActive((i) => (i + 1) % optionCount());
        break;
      case 'ArrowUp':
        event.preventDefault();
        if (!query().trim()) return;
        setOpen(true);
        setActive((i) => (i <= 0 ? optionCount() - 1 : i - 1));
        break;
      case 'Enter':
        event.preventDefault();
        choose(open() ? active() : -1);
        break;
      case 'Escape':
        if (open()) {
          event.preventDefault();
          close();
        } else {
          input.blur();
        }
        break;
      default:
    }
  };

  const onGlobalKeyDown = (event: KeyboardEvent) => {
    if (event.key !== '/' || event.ctrlKey || event.metaKey || event.altKey) return;
    if (event.defaultPrevented || isEditable(event.target)) return;
    event.preventDefault();
    input.focus();
    input.select();
  };

  onMount(() => document.addEventListener('keydown', onGlobalKeyDown));
  onCleanup(() => {
    document.removeEventListener('keydown', onGlobalKeyDown);
    clearTimeout(timer);
  });

  const expanded = () => open() && query().trim().length > 0;

  return (
    <form role="search" class="relative w-full max-w-xl" onSubmit={(event) => event.preventDefault()}>
      <label for="global-search" class="sr-only">
        Search movies, shows and games
      </label>
      <Search class="pointer-events-none absolute left-3.5 top-1/2 size-4 -translate-y-1/2 text-ink-subtle" strokeWidth={2} />
      <input
        ref={input}
        id="global-search"
        type="text"
        role="combobox"
        aria-autocomplete="list"
        aria-expanded={expanded()}
        aria-controls="global-search-listbox"
        aria-activedescendant={expanded() && active() >= 0 ? optionId(active()) : undefined}
        autocomplete="off"
        spellcheck={false}
        enterkeyhint="search"
        placeholder="Search movies, shows, games…"
        aria-keyshortcuts="/"
        value={query()}
        onInput={(event) => onInput(event.currentTarget.value)}
        onKeyDown={onKeyDown}
        onFocus={() => query().trim() && setOpen(true)}
        onBlur={() => setTimeout(close, 120)}
        class="peer h-10 w-full rounded-full border border-line bg-surface pl-10 pr-10 text-sm text-ink transition-[border-color,background-color,box-shadow] duration-200 placeholder:text-ink-subtle hover:border-line-strong focus:border-accent/60 focus:bg-raised focus:outline-none focus-visible:ring-4 focus-visible:ring-accent/15"
      />
      <kbd
        aria-hidden="true"
        class="pointer-events-none absolute right-3 top-1/2 hidden -translate-y-1/2 rounded-md border border-line-strong px-1.5 font-mono text-[11px] leading-5 text-ink-subtle peer-focus:opacity-0 sm:block"
      >
        /
      </kbd>
      <div
        class="absolute inset-x-0 top-12 z-40 overflow-hidden rounded-2xl border border-line-strong bg-raised/95 shadow-float backdrop-blur-xl animate-pop"
        classList={{ hidden: !expanded() }}
      >
        <ul id="global-search-listbox" role="listbox" aria-label="Search suggestions" class="max-h-[min(28rem,70vh)] overflow-y-auto p-1.5">
          <For each={items()}>
            {(item, index) => (
              <li
                id={optionId(index())}
                role="option"
                aria-selected={active() === index()}
                onMouseDown={(event) => event.preventDefault()}
                onMouseEnter={() => setActive(index())}
                onClick={() => choose(index())}
                class="flex cursor-pointer items-center gap-3 rounded-xl px-2.5 py-2 transition-colors aria-selected:bg-hover"
              >
                <div class="w-8 shrink-0">
                  <Poster title={item} class="rounded-md" />
                </div>
                <div class="min-w-0 flex-1">
                  <p class="truncate text-sm font-medium text-ink">{item.title}</p>
                  <p class="text-xs text-ink-subtle">
                    {mediaTypeLabel(item.mediaType)}
                    {item.year ? ` · ${item.year}` : ''}
                  </p>
                </div>
              </li>
            )}
          </For>
          <li
            id={optionId(items().length)}
            role="option"
            aria-selected={active() === items().length}
            onMouseDown={(event) => event.preventDefault()}
            onMouseEnter={() => setActive(items().length)}
            onClick={() => choose(items().length)}
            class="flex cursor-pointer items-center gap-3 rounded-xl px-2.5 py-2.5 text-sm text-ink-muted transition-colors aria-selected:bg-hover aria-selected:text-ink"
          >
            <span class="grid w-8 shrink-0 place-items-center">
              <Search class="size-4" strokeWidth={1.75} />
            </span>
            <span class="truncate">
              See all results for “<span class="text-ink">{query().trim()}</span>”
            </span>
          </li>
        </ul>
        <p role="status" class="border-t border-line px-4 py-2 text-xs text-ink-subtle">
          <Show when={status() === 'loading'}>Searching…</Show>
          <Show when={status() === 'error'}>Suggestions are unavailable — press Enter to search.</Show>
          <Show when={status() === 'ready'}>
            {items().length ? `${items().length} suggestion${items().length === 1 ? '' : 's'}` : 'No quick matches — press Enter to search everything.'}
          </Show>
        </p>
      </div>
    </form>
  );
}
