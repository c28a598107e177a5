import { A } from '@solidjs/router';
import { For, Show } from 'solid-js';
import type { CastCredit, CrewCredit } from '../../api/types';
import { keyCrew } from './filmography';
import { PersonPhoto } from './PersonPhoto';

export const personHref = (id: number) => `/app/people/${id}`;

/** The cast, billing order, as a sideways row of round portraits; each opens the person's page. */
export function CastRow(props: { cast: CastCredit[]; limit?: number }) {
  const shown = () => [...props.cast].sort((a, b) => a.order - b.order).slice(0, props.limit ?? 24);
  return (
    <section aria-labelledby="cast-title" class="mb-14">
      <h2 id="cast-title" class="mb-5 text-lg font-medium tracking-tight text-ink">Cast</h2>
      <ul
        aria-label="Cast"
        class="no-scrollbar -mx-5 flex snap-x snap-mandatory scroll-px-5 gap-5 overflow-x-auto px-5 pb-3 pt-1 sm:-mx-8 sm:scroll-px-8 sm:px-8 lg:-mx-12 lg:scroll-px-12 lg:px-12"
      >
        <For each={shown()}>
          {(member) => (
            <li class="w-24 shrink-0 snap-start sm:w-28">
              <A
                href={personHref(member.personId)}
                class="group block rounded-2xl text-center outline-none focus-visible:ring-2 focus-visible:ring-accent focus-visible:ring-offset-4 focus-visible:ring-offset-canvas"
              >
                <PersonPhoto
                  name={member.name}
                  url={member.profileUrl}
                  class="mx-auto w-20 transition-transform duration-300 ease-out-soft group-hover:-translate-y-1 sm:w-24"
                />
                <span class="mt-3 block truncate text-sm font-medium text-ink group-hover:text-accent-ink" title={member.name}>
                  {member.name}
                </span>
                <Show when={member.character}>
                  <span class="mt-0.5 line-clamp-2 block text-xs leading-snug text-ink-subtle">{member.character}</span>
                </Show>
              </A>
            </li>
          )}
        </For>
      </ul>
    </section>
  );
}

/** "Director Michael Mann · Writer …": the key crew under the overview, names linking to people. */
export function CrewLine(props: { crew: CrewCredit[] }) {
  const jobs = () => keyCrew(props.crew);
  return (
    <Show when={jobs().length}>
      <dl aria-label="Crew" class="mt-6 flex max-w-3xl flex-wrap gap-x-8 gap-y-3 text-sm">
        <For each={jobs()}>
          {(group) => (
            <div>
              <dt class="text-ink-subtle">{group.job}</dt>
              <dd class="text-ink">
                <For each={group.people}>
                  {(member, index) => (
                    <>
                      <Show when={index() > 0}>, </Show>
                      <A href={personHref(member.personId)} class="rounded hover:text-accent-ink hover:underline focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-accent">
                        {member.name}
                      </A>
                    </>
                  )}
                </For>
              </dd>
            </div>
          )}
        </For>
      </dl>
    </Show>
  );
}
