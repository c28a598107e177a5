import ChevronLeft from 'lucide-solid/icons/chevron-left';
import ChevronRight from 'lucide-solid/icons/chevron-right';
import { Show } from 'solid-js';

/** Previous / next with "page x of y"; hidden when everything fits on one page. */
export function Pagination(props: { page: number; pageSize: number; total: number; onPage: (page: number) => void }) {
  const pages = () => Math.max(1, Math.ceil(props.total / props.pageSize));
  const button =
    'inline-flex h-10 items-center gap-1.5 rounded-full border border-line px-4 text-sm text-ink-muted transition-colors hover:border-line-strong hover:text-ink disabled:pointer-events-none disabled:opacity-40';
  return (
    <Show when={pages() > 1}>
      <nav aria-label="Pagination" class="mt-12 flex items-center justify-center gap-3">
        <button type="button" class={button} disabled={props.page <= 1} onClick={() => props.onPage(props.page - 1)}>
          <ChevronLeft class="size-4" strokeWidth={1.75} />
          Previous
        </button>
        <span class="min-w-28 text-center text-sm tabular-nums text-ink-subtle" aria-current="page">
          Page {props.page} of {pages()}
        </span>
        <button
          type="button"
          class={button}
          disabled={props.page >= pages()}
          onClick={() => props.onPage(props.page + 1)}
        >
          Next
          <ChevronRight class="size-4" strokeWidth={1.75} />
        </button>
      </nav>
    </Show>
  );
}
