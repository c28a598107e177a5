/**
 * Calendar date math on plain ISO dates ("2026-11-23").
 *
 * Release dates are days, not instants, so every step goes through
 * `Date.UTC`: adding 7 days across a daylight-saving change is still 7 days
 * (local-time arithmetic would land on 23:00 the day before and drift).
 * Weeks start on Monday.
 */

export type IsoDate = string;

const ISO = /^(\d{4})-(\d{2})-(\d{2})$/;
const DAY_MS = 86_400_000;

/** The UTC midnight of an ISO date, or undefined when it is not a real date. */
function toUtc(iso: string): number | undefined {
  const match = ISO.exec(iso);
  if (!match) return undefined;
  const [y, m, d] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const time = Date.UTC(y, m - 1, d);
  const back = new Date(time);
  // Date.UTC rolls 2026-02-30 over to March: reject instead of guessing.
  return back.getUTCFullYear() === y && back.getUTCMonth() === m - 1 && back.getUTCDate() === d ? time : undefined;
}

function fromUtc(time: number): IsoDate {
  return new Date(time).toISOString().slice(0, 10);
}

export function isIsoDate(value: string | null | undefined): value is IsoDate {
  return typeof value === 'string' && toUtc(value) !== undefined;
}

function must(iso: IsoDate): number {
  const time = toUtc(iso);
  if (time === undefined) throw new RangeError(`Not a date: ${iso}`);
  return time;
}

/** Today in the viewer's own time zone (a release "today" means their today). */
export function todayIso(now: Date = new Date()): IsoDate {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}

export function addDays(iso: IsoDate, days: number): IsoDate {
  return fromUtc(must(iso) + days * DAY_MS);
}

/** Same day n months later, clamped to the month's last day (Jan 31 + 1 month = Feb 28/29). */
export function addMonths(iso: IsoDate, months: number): IsoDate {
  const date = new Date(must(iso));
  const index = date.getUTCFullYear() * 12 + date.getUTCMonth() + months;
  const year = Math.floor(index / 12);
  const month = index - year * 12;
  const last = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  return fromUtc(Date.UTC(year, month, Math.min(date.getUTCDate(), last)));
}

/** 0 = Monday … 6 = Sunday. */
export function weekdayIndex(iso: IsoDate): number {
  return (new Date(must(iso)).getUTCDay() + 6) % 7;
}

export function startOfWeek(iso: IsoDate): IsoDate {
  return addDays(iso, -weekdayIndex(iso));
}

export function startOfMonth(iso: IsoDate): IsoDate {
  return `${iso.slice(0, 7)}-01`;
}

export function endOfMonth(iso: IsoDate): IsoDate {
  return addDays(addMonths(startOfMonth(iso), 1), -1);
}

export function sameMonth(a: IsoDate, b: IsoDate): boolean {
  return a.slice(0, 7) === b.slice(0, 7);
}

export function daysBetween(from: IsoDate, to: IsoDate): number {
  return Math.round((must(to) - must(from)) / DAY_MS);
}

export interface DateRange {
  from: IsoDate;
  to: IsoDate;
}


/** The weeks (Monday first) that cover a day's month: 4 to 6 rows of 7 days, edges from the neighbours. */
export function monthGrid(iso: IsoDate): IsoDate[][] {
  const first = startOfWeek(startOfMonth(iso));
  const last = addDays(startOfWeek(endOfMonth(iso)), 6);
  const weeks: IsoDate[][] = [];
  for (let start = first; start <= last; start = addDays(start, 7)) {
    weeks.push(Array.from({ length: 7 }, (_, i) => addDays(start, i)));
  }
  return weeks;
}

/** The range a month view shows (its whole grid, so edge days list their releases too). */
export function monthGridRange(iso: IsoDate): DateRange {
  const weeks = monthGrid(iso);
  return { from: weeks[0]![0]!, to: weeks[weeks.length - 1]![6]! };
}

/**
 * Groups items by day inside a range. An approximate release whose window
 * began before the range but still runs into it is shown on the first day.
 */
export function groupByDay<T extends { date: string; dateEnd?: string }>(items: T[], range: DateRange): Map<IsoDate, T[]> {
  const days = new Map<IsoDate, T[]>();
  for (const item of items) {
    const end = item.dateEnd ?? item.date;
    if (item.date > range.to || end < range.from) continue;
    const day = item.date < range.from ? range.from : item.date;
    const list = days.get(day);
    if (list) list.push(item);
    else days.set(day, [item]);
  }
  return days;
}
