import type { Video } from '../../api/channels';
import type { components } from '../../api/schema';
import type { BacklogEntry, ContinueItem, Download, HistoryEntry, MediaSummary, WatchLaterItem } from '../../api/types';
import { isActive } from '../downloads/status';

type S = components['schemas'];
export type DashboardData = S['Dashboard'];
export type WidgetKey = keyof DashboardData;
export type CalendarEvent = S['CalendarEvent'];
export type Recommendation = S['Recommendation'];

/**
 * The dashboard's widgets are typed loosely in the OpenAPI document (each is
 * "the shape of the matching list endpoint"), so the card shape of each is
 * named here, once, instead of casting in every view.
 */
export interface WidgetItems {
  continueWatching: ContinueItem;
  watchLater: WatchLaterItem;
  gameBacklog: BacklogEntry;
  recentlyPlayedGames: BacklogEntry;
  activeDownloads: Download;
  recommendations: Recommendation;
  upcomingReleases: CalendarEvent;
  trending: MediaSummary;
  recentlyWatched: HistoryEntry;
  /** New and upcoming titles of the people you follow, with who of them is in it. */
  fromPeopleYouFollow: PersonTitle;
  /** The newest unwatched videos of the YouTube channels you follow. */
  newFromChannels: Video;
}

/** A "From people you follow" card: the title, and the followed people in it (billing order). */
export interface PersonTitle {
  media: MediaSummary;
  people: { id: number; name: string }[];
}

/** "With Keanu Reeves", "With Keanu Reeves and Carrie-Anne Moss", "With Keanu Reeves and 2 more". */
export function peopleLine(people: PersonTitle['people']): string {
  const names = people.map((p) => p.name).filter(Boolean);
  if (!names.length) return '';
  if (names.length === 1) return `With ${names[0]}`;
  if (names.length === 2) return `With ${names[0]} and ${names[1]}`;
  return `With ${names[0]} and ${names.length - 1} more`;
}

export function widgetItems<K extends WidgetKey>(data: DashboardData, key: K): WidgetItems[K][] {
  return (data[key]?.items ?? []) as unknown as WidgetItems[K][];
}

export function widgetFailed(data: DashboardData, key: WidgetKey): boolean {
  return Boolean(data[key]?.error);
}

/**
 * Folds a fresh downloads list into the widget's jobs: known jobs take their
 * new state (a finished one stays, showing "Completed", until the next visit),
 * and jobs started elsewhere since the dashboard loaded join while active.
 */
export function mergeDownloads(current: Download[], fresh: Download[]): Download[] {
  const byId = new Map(fresh.map((job) => [job.id, job]));
  const known = new Set(current.map((job) => job.id));
  const updated = current.map((job) => byId.get(job.id) ?? job);
  const added = fresh.filter((job) => !known.has(job.id) && isActive(job.status));
  return [...added, ...updated];
}

export const anyActive = (jobs: Download[]) => jobs.some((job) => isActive(job.status));

/** "Today", "Tomorrow", "Wed 25", or "Dec 3" for a release date relative to today. */
export function releaseChip(date: string, today: string): string {
  const days = Math.round((Date.parse(`${date}T00:00:00Z`) - Date.parse(`${today}T00:00:00Z`)) / 86_400_000);
  if (days === 0) return 'Today';
  if (days === 1) return 'Tomorrow';
  const when = new Date(`${date}T12:00:00Z`);
  const options: Intl.DateTimeFormatOptions =
    days > 1 && days < 7 ? { weekday: 'short', day: 'numeric' } : { month: 'short', day: 'numeric' };
  return new Intl.DateTimeFormat(undefined, { ...options, timeZone: 'UTC' }).format(when);
}
