import Check from 'lucide-solid/icons/check';
import { For, Show } from 'solid-js';
import type { FilmographyEntry } from '../../api/types';
import { TitleLine } from '../media/TitleLine';
import { groupFilmography } from './filmography';

const slug = (label: string) => label.toLowerCase().replace(/[^a-z0-9]+/g, '-');

/** The person's titles by what they did on them, newest first, the ones you've seen checked. */
export function Filmography(props: { entries: FilmographyEntry[]; knownFor?: string | null }) {
  const groups = () => groupFilmography(props.entries, props.knownFor);
  return (
    <div class="flex flex-col gap-10">
      <For each={groups()}>
        {(group) => (
          <section aria-labelledby={`filmography-${slug(group.label)}`}>
            <h3 id={`filmography-${slug(group.label)}`} class="mb-3 flex items-baseline gap-2 text-base font-medium text-ink">
              {group.label}
              <span class="text-sm font-normal tabular-nums text-ink-subtle">{group.rows.length}</span>
            </h3>
            <ol aria-label={group.label} class="flex flex-col divide-y divide-line rounded-2xl border border-line bg-surface">
              <For each={group.rows}>
                {(row) => (
                  <li class="flex items-center gap-4 px-3 py-2.5 sm:px-4">
                    <span class="w-12 shrink-0 text-sm tabular-nums text-ink-subtle">{row.year ?? '—'}</span>
                    <div class="min-w-0 flex-1">
                      <TitleLine
                        title={{ id: row.mediaId, mediaType: row.mediaType, title: row.title, posterUrl: row.posterUrl }}
                        detail={row.roles.length ? row.roles.join(', ') : undefined}
                        trailing={
                          <Show when={row.seen}>
                            <span class="inline-flex shrink-0 items-center gap-1 rounded-full border border-ok/30 bg-ok/10 px-2 py-0.5 text-xs text-ok">
                              <Check class="size-3.5" strokeWidth={2.5} aria-hidden="true" />
                              Seen
                            </span>
                          </Show>
                        }
                      />
                    </div>
                  </li>
                )}
              </For>
            </ol>
          </section>
        )}
      </For>
    </div>
  );
}
