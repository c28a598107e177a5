import { createEffect, type JSX } from 'solid-js';

interface PageProps {
  title: string;
  description: string;
  /** Controls that belong to the whole page (filters, primary action). */
  actions?: JSX.Element;
  children: JSX.Element;
}

/** The frame every route renders: one h1, a one-line description, then content. */
export function Page(props: PageProps) {
  createEffect(() => {
    document.title = `${props.title} · /seen/`;
  });

  return (
    <article class="animate-enter" aria-labelledby="page-title">
      <header class="mb-10 flex flex-wrap items-end justify-between gap-x-6 gap-y-4 lg:mb-14">
        <div class="min-w-0 max-w-2xl">
          <h1 id="page-title" class="text-3xl font-semibold tracking-tight text-ink sm:text-4xl">
            {props.title}
          </h1>
          <p class="mt-3 text-base leading-relaxed text-ink-muted">{props.description}</p>
        </div>
        {props.actions}
      </header>
      <div class="flex flex-col gap-12">{props.children}</div>
    </article>
  );
}

interface SectionProps {
  id: string;
  title: string;
  aside?: JSX.Element;
  children: JSX.Element;
}

export function Section(props: SectionProps) {
  return (
    <section id={props.id} aria-labelledby={`${props.id}-title`} class="scroll-mt-24">
      <div class="mb-5 flex items-center justify-between gap-4">
        <h2 id={`${props.id}-title`} class="text-lg font-medium tracking-tight text-ink">
          {props.title}
        </h2>
        {props.aside}
      </div>
      {props.children}
    </section>
  );
}
