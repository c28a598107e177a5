import { A } from '@solidjs/router';
import CircleCheck from 'lucide-solid/icons/circle-check';
import Clock from 'lucide-solid/icons/clock';
import X from 'lucide-solid/icons/x';
import { For, Show } from 'solid-js';
import type { WantedGroup, WantedItem } from '../../api/types';
import { formatDate } from '../../lib/format';
import { episodeCode } from '../library/labels';
import { buttonStyles } from '../ui/button';
import { rollupLabel } from './rollups';

export interface WantedActions {
  onRemove: (item: WantedItem, label: string) => void;
  onAutoGet: (group: WantedGroup, autoGet: boolean) => void;
}

function Rollup(props: { wanted: number; done: number; label: string }) {
  const total = () => props.wanted + props.done;
  const percent = () => (total() ? Math.round((props.done / total()) * 100) : 0);
  return (
    <div class="flex min-w-40 items-center gap-3 text-xs tabular-nums text-ink-muted">
      <div role="progressbar" aria-label={props.label} aria-valuemin={0} aria-valuemax={total()} aria-valuenow={props.done} class="h-1 w-20 overflow-hidden rounded-full bg-white/10">
        <div class="h-full rounded-full bg-ok" style={{ width: `${percent()}%` }} />
      </div>
      {rollupLabel(props)}
    </div>
  );
}

/** One wanted unit: done (its file is in the library) or still wanted, with the last search problem. */
function ItemRow(props: { item: WantedItem; label: string; name: string; href?: string; onRemove: WantedActions['onRemove'] }) {
  return (
    <li class="flex items-center gap-3 py-2.5">
      <Show when={props.item.done} fallback={<Clock class="size-4 shrink-0 text-ink-subtle" strokeWidth={1.75} aria-label="Wanted" />}>
        <CircleCheck class="size-4 shrink-0 text-ok" strokeWidth={2} aria-label="Done" />
      </Show>
      <div class="min-w-0 flex-1">
        <p class="truncate text-sm text-ink">
          <Show when={props.href} fallback={props.name}>{(href) => <A href={href()} class="hover:underline">{props.name}</A>}</Show>
        </p>
        <p class="text-xs text-ink-subtle">
          {props.item.done ? `Done ${formatDate(props.item.doneAt)}` : props.item.airDate ? `Aired ${formatDate(props.item.airDate)}` : 'Wanted'}
          <Show when={!props.item.done && props.item.lastError}>
            <span class="text-warn"> · {props.item.lastError}</span>
          </Show>
        </p>
      </div>
      <button type="button" class={`${buttonStyles.icon} size-9 hover:text-danger`} aria-label={`Remove ${props.label} from wanted`} onClick={() => props.onRemove(props.item, props.label)}>
        <X class="size-4" strokeWidth={1.75} />
      </button>
    </li>
  );
}

/** A show (its seasons and episodes, each level with its done/wanted counts) or a movie on the wanted list. */
export function WantedGroupCard(props: { group: WantedGroup } & WantedActions) {
  const g = () => props.group;
  const isShow = () => g().mediaType === 'show';
  return (
    <li>
      <article aria-label={g().title} class="rounded-2xl border border-line bg-surface p-5">
        <header class="flex flex-wrap items-center justify-between gap-4">
          <div class="min-w-0">
            <h2 class="truncate font-medium text-ink">
              <A href={`/app/${isShow() ? 'shows' : 'movies'}/${g().mediaId}`} class="hover:underline">{g().title}</A>
              <Show when={g().year}><span class="ml-2 text-sm font-normal text-ink-subtle">{g().year}</span></Show>
            </h2>
            <Rollup wanted={g().wanted} done={g().done} label={`${g().title} done`} />
          </div>
          <Show when={isShow()}>
            <label class="inline-flex cursor-pointer items-center gap-2 text-sm text-ink-muted">
              <input type="checkbox" role="switch" class="size-4 accent-accent" checked={g().monitor?.autoGet ?? false} onChange={(e) => props.onAutoGet(g(), e.currentTarget.checked)} />
              Get new episodes automatically
            </label>
          </Show>
        </header>
        <Show when={g().item}>
          {(item) => (
            <ul class="mt-3 border-t border-line">
              <ItemRow item={item()} label={g().title} name={g().title} onRemove={props.onRemove} />
            </ul>
          )}
        </Show>
        <For each={g().seasons ?? []}>
          {(season) => (
            <section aria-label={`${g().title} season ${season.season}`} class="mt-4 border-t border-line pt-3">
              <div class="flex flex-wrap items-center justify-between gap-3">
                <h3 class="text-sm font-medium text-ink">{season.season === 0 ? 'Specials' : `Season ${season.season}`}</h3>
                <Rollup wanted={season.wanted} done={season.done} label={`Season ${season.season} done`} />
              </div>
              <ul class="divide-y divide-line">
                <For each={season.episodes}>
                  {(ep) => {
                    const code = () => episodeCode(season.season, ep.episode ?? 0);
                    return (
                      <ItemRow
                        item={ep}
                        label={`${g().title} ${code()}`}
                        name={`${code()}${ep.name ? ` · ${ep.name}` : ''}`}
                        href={`/app/shows/${g().mediaId}/season/${season.season}/episode/${ep.episode ?? 0}`}
                        onRemove={props.onRemove}
                      />
                    );
                  }}
                </For>
              </ul>
            </section>
          )}
        </For>
      </article>
    </li>
  );
}
