/** The release calendar and its private feed link. */
import { api, call } from './client';
import type { operations } from './schema';

/** The kinds of title the calendar filters by (videos come with the channels you follow, unfiltered). */
export type CalendarType = NonNullable<NonNullable<operations['get_calendar']['parameters']['query']>['mediaType']>;

export interface CalendarRequest {
  /** `week`: the seven days from `from` (`to` is then what the answer will say, not sent). */
  view?: 'week';
  from: string;
  to: string;
  type?: CalendarType;
  /** Only what you follow or saved for later. */
  mine: boolean;
}

export const calendarKeys = {
  range: (r: CalendarRequest) => ['calendar', r.view ?? 'range', r.from, r.to, r.type ?? null, r.mine] as const,
};

export const fetchCalendar = (r: CalendarRequest) => {
  const range = r.view === 'week' ? { view: 'week' as const, from: r.from } : { from: r.from, to: r.to };
  return call(api.GET('/api/v1/calendar', { params: { query: { ...range, mediaType: r.type, watchlistOnly: r.mine || undefined } } }));
};

/** A new secret feed link (the previous one stops working). */
export const createFeedToken = () => call(api.POST('/api/v1/calendar/token'));
