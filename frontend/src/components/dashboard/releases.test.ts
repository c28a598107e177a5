import { describe, expect, it } from 'vitest';
import { groupReleases, platformList } from './releases';
import type { CalendarEvent } from './widgets';

const PLATFORMS = { pc: 'PC (Microsoft Windows)', ps5: 'PlayStation 5', xsx: 'Xbox Series X|S' } as const;

function gameEvent(id: number, mediaId: number, title: string, platform: keyof typeof PLATFORMS | null, date: string): CalendarEvent {
  return {
    id, kind: 'game_release', date, dateEnd: date, precision: 'exact',
    title: platform ? `${title} (${platform.toUpperCase()})` : title,
    media: { id: mediaId, mediaType: 'game', title, posterUrl: null },
    platform: platform ? { slug: platform, name: PLATFORMS[platform] } : null,
  };
}

const episode = (id: number, date: string): CalendarEvent => ({
  id, kind: 'episode_air', date, dateEnd: date, precision: 'exact', title: `Severance S03E0${id}`,
  media: { id: 6, mediaType: 'show', title: 'Severance', posterUrl: null }, platform: null,
});

describe('groupReleases', () => {
  it('makes one card per game, listing every platform, in the order of its first event', () => {
    const groups = groupReleases([
      gameEvent(1, 40, 'Elden Ring', 'pc', '2026-11-24'),
      episode(2, '2026-11-24'),
      gameEvent(3, 40, 'Elden Ring', 'ps5', '2026-11-24'),
      gameEvent(4, 41, 'Hades II', 'pc', '2026-11-25'),
      gameEvent(5, 40, 'Elden Ring', 'xsx', '2026-11-24'),
    ]);
    expect(groups.map((g) => g.title)).toEqual(['Elden Ring', 'Severance S03E02', 'Hades II']);
    const elden = groups[0]!;
    expect(elden.platforms.map((p) => p.slug)).toEqual(['pc', 'ps5', 'xsx']);
    expect(elden.datesDiffer).toBe(false);
    expect(elden.event.id).toBe(1);
    expect(groups[2]!.platforms.map((p) => p.slug)).toEqual(['pc']);
    // The short names come from the API's display titles ("Elden Ring (PS5)"), the full ones stay.
    expect(elden.platforms.map((p) => [p.short, p.name])).toEqual([['PC', PLATFORMS.pc], ['PS5', PLATFORMS.ps5], ['XSX', PLATFORMS.xsx]]);
  });

  it('keeps each platform date, shows the earliest, and says when they differ', () => {
    const [group] = groupReleases([
      gameEvent(7, 50, 'Silksong', 'ps5', '2026-12-03'),
      gameEvent(8, 50, 'Silksong', 'pc', '2026-11-26'),
    ]);
    expect(group!.event.date).toBe('2026-11-26');
    expect(group!.datesDiffer).toBe(true);
    expect(group!.platforms.map((p) => [p.slug, p.date])).toEqual([['ps5', '2026-12-03'], ['pc', '2026-11-26']]);
  });

  it('never merges episodes, different games, a game and its DLC, or the same platform twice', () => {
    const dlc: CalendarEvent = { ...gameEvent(9, 40, 'Elden Ring', 'pc', '2026-11-24'), kind: 'dlc_release' };
    const groups = groupReleases([
      episode(1, '2026-11-24'), episode(2, '2026-11-24'),
      gameEvent(3, 40, 'Elden Ring', 'pc', '2026-11-24'), gameEvent(4, 40, 'Elden Ring', 'pc', '2026-11-24'),
      gameEvent(5, 41, 'Elden Ring', 'pc', '2026-11-24'), dlc,
    ]);
    expect(groups).toHaveLength(5);
    expect(groups[2]!.platforms).toHaveLength(1);
  });

  it('falls back to the full platform name when the title does not carry a short one', () => {
    const event = { ...gameEvent(1, 40, 'Elden Ring', 'pc', '2026-11-24'), title: 'Elden Ring' };
    expect(groupReleases([event])[0]!.platforms[0]!.short).toBe(PLATFORMS.pc);
  });

  it('keeps a game without a platform as its own card, and an empty list empty', () => {
    expect(groupReleases([gameEvent(1, 40, 'Elden Ring', null, '2026-11-24')])[0]!.platforms).toEqual([]);
    expect(groupReleases([])).toEqual([]);
  });
});

describe('platformList', () => {
  it('reads as a list', () => {
    const p = (short: string) => ({ short });
    expect(platformList([])).toBe('');
    expect(platformList([p('PC')])).toBe('PC');
    expect(platformList([p('PC'), p('PS5')])).toBe('PC and PS5');
    expect(platformList([p('PC'), p('PS5'), p('Switch')])).toBe('PC, PS5 and Switch');
  });
});
