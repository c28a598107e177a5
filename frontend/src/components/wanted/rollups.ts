/**
 * The wanted list is grouped show → season → episode with counts at each
 * level: `wanted` (still wanted, not in the library) and `done`. Local edits (a removal, the auto-get switch) keep those counts
 * true until the server's answer replaces the page.
 */
import type { WantedGroup, WantedItem, WantedPage, WantedSeason } from '../../api/types';

const count = (items: WantedItem[]) => {
  const done = items.filter((i) => i.done).length;
  return { wanted: items.length - done, done };
};

function seasonWithout(season: WantedSeason, id: string): WantedSeason | undefined {
  const episodes = season.episodes.filter((e) => e.id !== id);
  if (episodes.length === season.episodes.length) return season;
  return episodes.length ? { ...season, episodes, ...count(episodes) } : undefined;
}

function groupWithout(group: WantedGroup, id: string): WantedGroup | undefined {
  if (group.item?.id === id) return undefined;
  const before = group.seasons ?? [];
  const seasons = before.map((s) => seasonWithout(s, id)).filter((s): s is WantedSeason => s !== undefined);
  if (seasons.length === before.length && seasons.every((s, i) => s === before[i])) return group;
  if (!seasons.length && !group.item) return undefined;
  const items = seasons.flatMap((s) => s.episodes);
  return { ...group, seasons, ...count(items) };
}

/** The page without one wanted item; a season or show left empty goes too (and the total with it). */
export function pageWithout(page: WantedPage, id: string): WantedPage {
  const items = page.items.map((g) => groupWithout(g, id)).filter((g): g is WantedGroup => g !== undefined);
  return { ...page, items, total: Math.max(0, page.total - (page.items.length - items.length)) };
}

export function pageWithAutoGet(page: WantedPage, mediaId: number, autoGet: boolean): WantedPage {
  const monitored = (g: WantedGroup) => ({ ...g, monitor: { ...(g.monitor ?? { mediaId }), autoGet } });
  return { ...page, items: page.items.map((g) => (g.mediaId === mediaId ? monitored(g) : g)) };
}

/** "3 of 8 done", "All 8 done" (`wanted` counts the ones still wanted). */
export function rollupLabel(rollup: { wanted: number; done: number }): string {
  const total = rollup.wanted + rollup.done;
  if (total > 0 && rollup.wanted === 0) return `All ${total} done`;
  return `${rollup.done} of ${total} done`;
}
