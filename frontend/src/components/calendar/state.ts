import type { CalendarType } from '../../api/calendar';
import type { components } from '../../api/schema';
import { titleHref } from '../../lib/format';
import { CHANNELS_HREF, channelHref } from '../channels/videoState';
import { addDays, addMonths, isIsoDate, monthGridRange, todayIso, type DateRange, type IsoDate } from './dates';

/**
 * A release on the calendar: `airAt` the moment it airs when known (`airTimeApproximate`: the network's
 * usual slot), `anytime` for a streaming drop or an unknown time; `reason` why it is yours.
 */
export type CalendarEvent = components['schemas']['CalendarEvent'];
export type CalendarView = 'month' | 'week';

/** What the calendar shows, read from (and written to) the URL: ?view=week&date=2026-11-23&type=show&mine=1. */
export interface CalendarState {
  view: CalendarView;
  date: IsoDate;
  type?: CalendarType;
  mine: boolean;
}

export type CalendarParams = Partial<Record<'view' | 'date' | 'type' | 'mine', string>>;

const TYPES: readonly CalendarType[] = ['movie', 'show', 'game'];

/** Unknown or malformed values fall back to defaults instead of breaking the page. */
export function readState(params: CalendarParams, today: IsoDate = todayIso()): CalendarState {
  return {
    view: params.view === 'week' ? 'week' : 'month',
    date: isIsoDate(params.date) ? params.date : today,
    type: TYPES.includes(params.type as CalendarType) ? (params.type as CalendarType) : undefined,
    mine: params.mine === '1',
  };
}

/** The URL parameters of a state; defaults are left out so links stay short. */
export function writeState(state: CalendarState): Record<'view' | 'date' | 'type' | 'mine', string | undefined> {
  return {
    view: state.view === 'week' ? 'week' : undefined,
    date: state.date,
    type: state.type,
    mine: state.mine ? '1' : undefined,
  };
}

/** The week view's seven days start at its date (today by default: what airs next comes first). */
export function weekDays(state: CalendarState): IsoDate[] {
  return Array.from({ length: 7 }, (_, i) => addDays(state.date, i));
}

export function visibleRange(state: CalendarState): DateRange {
  if (state.view === 'month') return monthGridRange(state.date);
  return { from: state.date, to: addDays(state.date, 6) };
}

/** One step back or forward: a month in month view, a week in week view. */
export function stepDate(state: CalendarState, direction: 1 | -1): IsoDate {
  return state.view === 'week' ? addDays(state.date, 7 * direction) : addMonths(state.date, direction);
}

const utcNoon = (iso: IsoDate) => new Date(`${iso}T12:00:00Z`);

/** "November 2026" or "23 – 29 Nov 2026" (locale-ordered). */
export function periodLabel(state: CalendarState): string {
  if (state.view === 'month') {
    return new Intl.DateTimeFormat(undefined, { month: 'long', year: 'numeric', timeZone: 'UTC' }).format(utcNoon(state.date));
  }
  const { from, to } = visibleRange(state);
  const format = new Intl.DateTimeFormat(undefined, { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' });
  return format.formatRange(utcNoon(from), utcNoon(to));
}

export function dayLabel(iso: IsoDate, options: Intl.DateTimeFormatOptions = { weekday: 'long', month: 'long', day: 'numeric' }): string {
  return new Intl.DateTimeFormat(undefined, { ...options, timeZone: 'UTC' }).format(utcNoon(iso));
}

/** A new video of a followed YouTube channel (not a title with a page of its own). */
export const isVideoEvent = (event: Pick<CalendarEvent, 'kind' | 'media'>) => event.kind === 'video_release' || event.media.mediaType === 'video';

/**
 * Where a release leads: the title's page, or for a video its channel's page (videos have no page of
 * their own; the channel page plays and gets them).
 */
export function eventHref(event: Pick<CalendarEvent, 'kind' | 'media' | 'channel'>): string {
  const type = event.media.mediaType;
  if (type === 'video' || event.kind === 'video_release') return event.channel ? channelHref(event.channel.id) : CHANNELS_HREF;
  return titleHref({ id: event.media.id, mediaType: type });
}

/** Why it is on your calendar, as a badge: a show you follow, a person you follow, your list, a channel you follow. */
export function reasonBadge(event: CalendarEvent): string | undefined {
  if (event.reason === 'person') return event.personName ? `With ${event.personName}` : 'Someone you follow';
  if (event.reason === 'channel') return 'Channel you follow';
  if (event.followed) return 'Following';
  return event.onWatchLater ? 'On your list' : undefined;
}

/** How sure the date is, for approximate releases ("Expected March 2027"). */
export function precisionNote(event: CalendarEvent): string | undefined {
  if (event.precision === 'exact') return undefined;
  if (event.precision === 'month') return `Expected ${dayLabel(event.date, { month: 'long', year: 'numeric' })}`;
  if (event.precision === 'quarter') return `Expected by ${dayLabel(event.dateEnd, { month: 'long', year: 'numeric' })}`;
  return `Expected ${event.date.slice(0, 4)}`;
}

const timeFormat = new Intl.DateTimeFormat(undefined, { hour: 'numeric', minute: '2-digit' });

/** "21:00" (local time) for a timed release, "Anytime" for a streaming drop, nothing for a plain date. */
export function eventTime(event: CalendarEvent): string | undefined {
  if (event.airAt) {
    const when = new Date(event.airAt);
    if (!Number.isNaN(when.getTime())) return timeFormat.format(when);
  }
  return event.anytime ? 'Anytime' : undefined;
}

/** Said beside an approximate time: the network's usual slot, not the episode's own listing. */
export const APPROXIMATE_NOTE = "the network's usual time";

const airAtMs = (event: CalendarEvent) => (event.airAt ? Date.parse(event.airAt) : Number.NaN);

/** A day's releases: timed ones first, by time; then the rest (anytime, undated) in the API's order. */
export function sortDayEvents(events: CalendarEvent[]): CalendarEvent[] {
  return events
    .map((event, index) => ({ event, index, at: airAtMs(event) }))
    .sort((a, b) => {
      const aTimed = !Number.isNaN(a.at);
      const bTimed = !Number.isNaN(b.at);
      if (aTimed !== bTimed) return aTimed ? -1 : 1;
      return (aTimed ? a.at - b.at : 0) || a.index - b.index;
    })
    .map(({ event }) => event);
}

/** The day-grouped releases with each day in viewing order (see sortDayEvents). */
export function sortDays(days: Map<IsoDate, CalendarEvent[]>): Map<IsoDate, CalendarEvent[]> {
  return new Map([...days].map(([day, events]) => [day, sortDayEvents(events)]));
}
