import { describe, expect, it } from 'vitest';
import { readState, stepDate, visibleRange, writeState } from './state';

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
    expect(visibleRange(week)).toEqual({ from: '2026-11-23', to: '2026-11-29' });
  });
});
