import { A } from '@solidjs/router';
import X from 'lucide-solid/icons/x';
import { For } from 'solid-js';
import type { components } from '../../api/schema';
import { mediaTypeLabel, titleHref } from '../../lib/format';
import { Poster } from '../media/Poster';
import { ScoreBadge } from '../media/Rating';
import { ReasonText } from './ReasonText';

export type Recommendation = components['schemas']['Recommendation'];

/** A recommendation: poster, title, year, why it was picked, and a way to say "not for me". */
export function RecCard(props: { rec: Recommendation; onDismiss: () => void }) {
  const media = () => props.rec.media;
  return (
    <article aria-label={media().title} class="group animate-enter relative flex gap-4 rounded-2xl border border-line bg-surface p-3 transition-colors duration-300 hover:border-line-strong sm:flex-col sm:gap-0 sm:p-0 sm:pb-4">
      <A href={titleHref(media())} class="block w-24 shrink-0 rounded-xl outline-none focus-visible:ring-2 focus-visible:ring-accent sm:w-full sm:rounded-b-none" tabindex={-1} aria-hidden="true">
        <Poster title={media()} class="transition-transform duration-500 ease-out-soft sm:rounded-b-none sm:group-hover:scale-[1.02]" />
      </A>
      <div class="min-w-0 flex-1 pr-8 sm:px-4 sm:pt-4">
        <h2 class="text-base font-medium leading-snug tracking-tight text-ink">
          <A href={titleHref(media())} class="outline-none hover:text-accent-ink focus-visible:underline">
            {media().title}
          </A>
        </h2>
        <p class="mt-1 flex items-center gap-2 text-xs text-ink-subtle">
          <span>{media().year ?? '—'}</span>
          <span aria-hidden="true">·</span>
          <span>{mediaTypeLabel(media().mediaType)}</span>
          {media().voteAverage ? <ScoreBadge value={media().voteAverage} /> : null}
        </p>
        <ul aria-label="Why it was picked" class="mt-3 flex flex-col gap-1.5">
          <For each={props.rec.reasons}>
            {(reason) => (
              <li class="flex gap-2 text-sm leading-snug text-ink-muted">
                <span aria-hidden="true" class="mt-1.5 size-1.5 shrink-0 rounded-full bg-secondary shadow-[0_0_8px_var(--color-secondary)]" />
                <ReasonText reason={reason} />
              </li>
            )}
          </For>
        </ul>
      </div>
      <button
        type="button"
        aria-label={`Dismiss ${media().title}`}
        title="Not interested"
        onClick={() => props.onDismiss()}
        class="absolute right-2 top-2 grid size-8 place-items-center rounded-full bg-black/55 text-white backdrop-blur-md transition-[opacity,background-color] duration-200 hover:bg-black/75 focus-visible:opacity-100 sm:opacity-0 sm:group-hover:opacity-100"
      >
        <X class="size-4" strokeWidth={2} />
      </button>
    </article>
  );
}
