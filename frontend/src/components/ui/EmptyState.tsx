import type { LucideIcon } from 'lucide-solid';
import type { JSX } from 'solid-js';
import { Dynamic } from 'solid-js/web';

interface EmptyStateProps {
  icon: LucideIcon;
  title: string;
  body: string;
  /** Heading level, so the state fits the page outline (h2 on a page, h3 in a section). */
  level?: 2 | 3;
  action?: JSX.Element;
}

export function EmptyState(props: EmptyStateProps) {
  return (
    <div class="relative flex flex-col items-center overflow-hidden rounded-3xl border border-line bg-surface px-6 py-16 text-center sm:py-20">
      {/* A quiet wash of the brand colours behind the icon; purely decorative. */}
      <div
        aria-hidden="true"
        class="pointer-events-none absolute -top-24 left-1/2 h-56 w-[28rem] -translate-x-1/2 rounded-full bg-[radial-gradient(closest-side,var(--color-secondary-soft),transparent)] blur-2xl"
      />
      <div class="relative mb-6 grid size-14 place-items-center rounded-2xl border border-line-strong bg-raised text-accent-ink shadow-float">
        <props.icon class="size-6" strokeWidth={1.75} />
      </div>
      <Dynamic
        component={props.level === 3 ? 'h3' : 'h2'}
        class="relative text-lg font-medium tracking-tight text-ink"
      >
        {props.title}
      </Dynamic>
      <p class="relative mt-2 max-w-md text-sm leading-relaxed text-ink-muted">{props.body}</p>
      {props.action && <div class="relative mt-7">{props.action}</div>}
    </div>
  );
}
