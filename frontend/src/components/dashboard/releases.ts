import type { CalendarEvent } from './widgets';

/**
 * The calendar API returns one event per platform for a game ("Elden Ring (PC)",
 * "Elden Ring (PS5)"): right for a calendar, where dates can differ, but a row of
 * cards would show the same poster once per platform. Cards are grouped here,
 * where the row's data is shaped, without changing the API's contract.
 */

/** One platform of a grouped release, with its own date (they can differ). */
export interface PlatformRelease {
  name: string;
  /** The platform's short name ("PS5"), which the API puts in the event title. */
  short: string;
  slug: string;
  date: string;
  precision: CalendarEvent['precision'];
}

/** One card: the earliest event of a title, and every platform it comes out on. */
export interface ReleaseGroup {
  key: string;
  /** The earliest event (the list is sorted by date), which the card's date chip shows. */
  event: CalendarEvent;
  /** The card's name: the title alone once platforms are listed beside it. */
  title: string;
  platforms: PlatformRelease[];
  /** True when the platforms do not all release on the same day. */
  datesDiffer: boolean;
}

const PER_PLATFORM: ReadonlySet<CalendarEvent['kind']> = new Set(['game_release', 'dlc_release']);

/** Cards of a game (or DLC) release are keyed by title; anything else stays one card per event. */
function groupKey(event: CalendarEvent): string {
  return PER_PLATFORM.has(event.kind) && event.platform ? `${event.kind}:${event.media.id}` : `event:${event.id}`;
}

/** "Elden Ring (PS5)" -> "PS5": the API titles a platform's release with the platform's short name. */
function shortName(event: CalendarEvent, name: string): string {
  const prefix = `${event.media.title} (`;
  return event.title.startsWith(prefix) && event.title.endsWith(')') ? event.title.slice(prefix.length, -1) || name : name;
}

const platformOf = (event: CalendarEvent): PlatformRelease | undefined =>
  event.platform
    ? { ...event.platform, short: shortName(event, event.platform.name), date: event.date, precision: event.precision }
    : undefined;

/** Groups per-platform events into one card per title, in the order their first event comes. */
export function groupReleases(events: readonly CalendarEvent[]): ReleaseGroup[] {
  const groups = new Map<string, ReleaseGroup>();
  for (const event of events) {
    const key = groupKey(event);
    const platform = platformOf(event);
    const group = groups.get(key);
    if (!group) {
      const title = key.startsWith('event:') ? event.title : event.media.title;
      groups.set(key, { key, event, title, platforms: platform ? [platform] : [], datesDiffer: false });
      continue;
    }
    if (platform && !group.platforms.some((p) => p.slug === platform.slug)) group.platforms.push(platform);
    if (event.date < group.event.date) group.event = event; // an unsorted list still shows the earliest date
    group.datesDiffer = group.platforms.some((p) => p.date !== group.platforms[0]!.date);
  }
  return [...groups.values()];
}

/** "PC, PS5 and Series X|S" for a card's subtitle (short names; the tooltip has the full ones). */
export function platformList(platforms: readonly Pick<PlatformRelease, 'short'>[]): string {
  const names = platforms.map((p) => p.short);
  if (names.length < 2) return names[0] ?? '';
  return `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
}
