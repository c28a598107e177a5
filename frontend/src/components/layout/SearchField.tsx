import Search from 'lucide-solid/icons/search';
import { onCleanup, onMount } from 'solid-js';

/** True when a keypress is meant for a field the user is typing in. */
function isEditable(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName);
}

/**
 * Global search box. For now it only takes focus ("/" from anywhere) and
 * holds the text; issue 10 wires suggestions and results to the catalog API.
 */
export function SearchField() {
  let input!: HTMLInputElement;

  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key !== '/' || event.ctrlKey || event.metaKey || event.altKey) return;
    if (event.defaultPrevented || isEditable(event.target)) return;
    event.preventDefault();
    input.focus();
    input.select();
  };

  onMount(() => document.addEventListener('keydown', onKeyDown));
  onCleanup(() => document.removeEventListener('keydown', onKeyDown));

  return (
    <form role="search" class="relative w-full max-w-xl" onSubmit={(event) => event.preventDefault()}>
      <label for="global-search" class="sr-only">
        Search movies, shows and games
      </label>
      <Search
        class="pointer-events-none absolute left-3.5 top-1/2 size-4 -translate-y-1/2 text-ink-subtle"
        strokeWidth={2}
      />
      <input
        ref={input}
        id="global-search"
        type="search"
        autocomplete="off"
        spellcheck={false}
        placeholder="Search movies, shows, games…"
        aria-keyshortcuts="/"
        onKeyDown={(event) => event.key === 'Escape' && event.currentTarget.blur()}
        class="peer h-10 w-full rounded-full border border-line bg-surface pl-10 pr-10 text-sm text-ink shadow-none transition-[border-color,background-color,box-shadow] duration-200 placeholder:text-ink-subtle hover:border-line-strong focus:border-accent/60 focus:bg-raised focus:outline-none focus-visible:ring-4 focus-visible:ring-accent/15 [&::-webkit-search-cancel-button]:hidden"
      />
      <kbd
        aria-hidden="true"
        class="pointer-events-none absolute right-3 top-1/2 hidden -translate-y-1/2 rounded-md border border-line-strong px-1.5 font-mono text-[11px] leading-5 text-ink-subtle peer-focus:opacity-0 sm:block"
      >
        /
      </kbd>
    </form>
  );
}
