import { describe, expect, it } from 'vitest';
import { eventTime, readState, sortDayEvents, stepDate, visibleRange, weekDays, writeState, type CalendarEvent } from './state';

describe('calendar URL state', () => {
  it('reads view, date and filters, falling back on bad values', () => {
    expect(readState({ view: 'week', date: '2026-11-23', type: 'show', mine: '1' }, '2026-01-01')).toEqual({
      view: 'week', date: '2026-11-23', type: 'show', mine: true,
    });
    expect(readState({ view: 'year', date: '2026-02-31', type: 'book' }, '2026-01-01')).toEqual({
      view: 'month', date: '2026-01-01', type: undefined, mine: false,
    });
  });

  it('writes only what differs from the defaults', () => {
    expect(writeState({ view: 'month', date: '2026-11-23', mine: false })).toEqual({ view: undefined, date: '2026-11-23', type: undefined, mine: undefined });
    expect(writeState({ view: 'week', date: '2026-11-23', type: 'game', mine: true })).toEqual({ view: 'week', date: '2026-11-23', type: 'game', mine: '1' });
  });

  it('steps by month or week and asks for the whole visible range', () => {
    const month = readState({ date: '2026-11-23' });
    expect(stepDate(month, 1)).toBe('2026-12-23');
    expect(visibleRange(month)).toEqual({ from: '2026-10-26', to: '2026-12-06' });
    const week = readState({ view: 'week', date: '2026-11-25' });
    expect(stepDate(week, -1)).toBe('2026-11-18');
    expect(visibleRange(week)).toEqual({ from: '2026-11-25', to: '2026-12-01' }); // seven days from the date
    expect(weekDays(week)).toEqual(['2026-11-25', '2026-11-26', '2026-11-27', '2026-11-28', '2026-11-29', '2026-11-30', '2026-12-01']);
  });
});

describe('air times', () => {
  const base = { kind: 'episode_air', date: '2026-11-25', dateEnd: '2026-11-25', precision: 'exact', media: { id: 1, mediaType: 'show', title: 'X' } } as const;
  const ev = (id: number, extra: Partial<CalendarEvent> = {}): CalendarEvent => ({ ...base, id, title: `E${id}`, ...extra });

  it('puts timed releases first, by time, then anytime drops in the API order', () => {
    const sorted = sortDayEvents([
      ev(1, { anytime: true }),
      ev(2, { airAt: '2026-11-25T21:00:00Z' }),
      ev(3),
      ev(4, { airAt: '2026-11-25T02:00:00Z' }),
      ev(5, { anytime: true }),
    ]);
    expect(sorted.map((e) => e.id)).toEqual([4, 2, 1, 3, 5]);
  });

  it('labels a timed release with its local time and a streaming drop "Anytime"', () => {
    const at = '2026-11-25T21:30:00Z';
    expect(eventTime(ev(1, { airAt: at }))).toBe(new Intl.DateTimeFormat(undefined, { hour: 'numeric', minute: '2-digit' }).format(new Date(at)));
    expect(eventTime(ev(2, { anytime: true }))).toBe('Anytime');
    expect(eventTime(ev(3))).toBeUndefined();
  });
});
