import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  addDays,
  addMonths,
  daysBetween,
  endOfMonth,
  groupByDay,
  isIsoDate,
  monthGrid,
  monthGridRange,
  startOfWeek,
  todayIso,
  weekdayIndex,
} from './dates';

// A zone with daylight saving, so local-time arithmetic would show its drift here.
beforeAll(() => {
  vi.stubEnv('TZ', 'America/New_York');
});
afterAll(() => {
  vi.unstubAllEnvs();
});

describe('calendar date math', () => {
  it('validates real ISO days only', () => {
    expect(isIsoDate('2026-11-23')).toBe(true);
    expect(isIsoDate('2028-02-29')).toBe(true);
    expect(isIsoDate('2026-02-29')).toBe(false);
    expect(isIsoDate('2026-13-01')).toBe(false);
    expect(isIsoDate('23/11/2026')).toBe(false);
    expect(isIsoDate(undefined)).toBe(false);
  });

  it('numbers weekdays from Monday', () => {
    expect(weekdayIndex('2026-11-23')).toBe(0); // a Monday
    expect(weekdayIndex('2026-11-29')).toBe(6); // a Sunday
    expect(startOfWeek('2026-11-29')).toBe('2026-11-23');
    expect(startOfWeek('2026-11-23')).toBe('2026-11-23');
  });

  it('builds a Monday-first month grid covering the whole month', () => {
    const grid = monthGrid('2026-11-15');
    // November 2026 starts on a Sunday and ends on a Monday: six rows.
    expect(grid).toHaveLength(6);
    expect(grid[0]).toEqual(['2026-10-26', '2026-10-27', '2026-10-28', '2026-10-29', '2026-10-30', '2026-10-31', '2026-11-01']);
    expect(grid[5]![0]).toBe('2026-11-30');
    expect(grid[5]![6]).toBe('2026-12-06');
    for (const week of grid) expect(weekdayIndex(week[0]!)).toBe(0);
    expect(monthGridRange('2026-11-15')).toEqual({ from: '2026-10-26', to: '2026-12-06' });
  });

  it('fits a February that starts on Monday into four rows', () => {
    const grid = monthGrid('2027-02-10');
    expect(grid).toHaveLength(4);
    expect(grid[0]![0]).toBe('2027-02-01');
    expect(grid[3]![6]).toBe('2027-02-28');
  });

  it('clamps month steps to the last day of the month', () => {
    expect(addMonths('2027-01-31', 1)).toBe('2027-02-28');
    expect(addMonths('2028-01-31', 1)).toBe('2028-02-29');
    expect(addMonths('2026-11-23', -11)).toBe('2025-12-23');
    expect(addMonths('2026-12-05', 1)).toBe('2027-01-05');
    expect(endOfMonth('2028-02-03')).toBe('2028-02-29');
  });

  it('steps whole days across daylight-saving changes', () => {
    // Europe leaves summer time on 2026-10-25, the US on 2026-11-01; both weeks have 7 days.
    expect(addDays('2026-10-22', 7)).toBe('2026-10-29');
    expect(addDays('2026-11-01', -7)).toBe('2026-10-25');
    expect(addDays('2026-03-28', 1)).toBe('2026-03-29');
    expect(daysBetween('2026-03-01', '2026-04-01')).toBe(31);
    expect(new Date(2026, 10, 1).getTimezoneOffset()).not.toBe(new Date(2026, 10, 2).getTimezoneOffset());
    expect(monthGrid('2026-10-10').flat().every((day, i, all) => i === 0 || daysBetween(all[i - 1]!, day) === 1)).toBe(true);
  });

  it("reads today from the viewer's local calendar, not UTC", () => {
    expect(todayIso(new Date(2026, 10, 23, 0, 30))).toBe('2026-11-23');
    expect(todayIso(new Date(2026, 0, 1, 23, 59))).toBe('2026-01-01');
  });

  it('groups items by day and pins windows that began earlier to the first day', () => {
    const range = { from: '2026-11-23', to: '2026-11-29' };
    const grouped = groupByDay(
      [
        { date: '2026-11-01', dateEnd: '2026-11-30', id: 1 }, // "November 2026", still open
        { date: '2026-11-24', id: 2 },
        { date: '2026-11-24', dateEnd: '2026-11-24', id: 3 },
        { date: '2026-12-01', id: 4 }, // after the range
        { date: '2026-11-03', dateEnd: '2026-11-03', id: 5 }, // over before the range
      ],
      range,
    );
    expect(grouped.get('2026-11-23')?.map((i) => i.id)).toEqual([1]);
    expect(grouped.get('2026-11-24')?.map((i) => i.id)).toEqual([2, 3]);
    expect([...grouped.values()].flat().map((i) => i.id).sort()).toEqual([1, 2, 3]);
  });
});
