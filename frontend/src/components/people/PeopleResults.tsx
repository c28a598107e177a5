import { A } from '@solidjs/router';
import { For } from 'solid-js';
import type { PersonHit } from '../../api/types';
import { personHref } from './CastRow';
import { PersonPhoto } from './PersonPhoto';

/** People among the search results: round photo, name, what they are known for. */
export function PeopleResults(props: { people: PersonHit[] }) {
  return (
    <section aria-labelledby="search-people-title" class="mb-10">
      <h2 id="search-people-title" class="mb-4 text-lg font-medium tracking-tight text-ink">People</h2>
      <ul aria-label="People" class="grid gap-3 sm:grid-cols-2 xl:grid-cols-3">
        <For each={props.people}>
          {(person) => (
            <li>
              <A
                href={personHref(person.id)}
                class="group flex items-center gap-4 rounded-2xl border border-line bg-surface p-3 transition-[border-color,transform] duration-200 hover:-translate-y-px hover:border-line-strong focus-visible:outline-2 focus-visible:outline-accent"
              >
                <PersonPhoto name={person.name} url={person.profileUrl} class="w-14" />
                <span class="min-w-0 flex-1">
                  <span class="block truncate font-medium text-ink group-hover:text-accent-ink">{person.name}</span>
                  <span class="mt-0.5 block truncate text-xs text-ink-subtle">
                    {[person.knownForDepartment, (person.knownFor ?? []).slice(0, 3).join(', ')].filter(Boolean).join(' · ')}
                  </span>
                </span>
              </A>
            </li>
          )}
        </For>
      </ul>
    </section>
  );
}
