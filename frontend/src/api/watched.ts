/** The watch history: what was watched when, newest first. */
import type { MediaType } from './types';
import { api, call } from './client';

export const HISTORY_PAGE_SIZE = 40;

export interface HistoryFilters {
  type?: MediaType;
  /** Local days, YYYY-MM-DD. */
  from?: string;
  to?: string;
  page: number;
}

export const watchedKeys = {
  all: ['watched'] as const,
  history: (f: HistoryFilters) => ['watched', 'history', f.type ?? null, f.from ?? null, f.to ?? null, f.page] as const,
};

/** A page of history; the day filters cover whole local days. */
export const fetchHistory = (f: HistoryFilters) =>
  call(
    api.GET('/api/v1/watched', {
      params: {
        query: {
          page: f.page,
          pageSize: HISTORY_PAGE_SIZE,
          mediaType: f.type ?? null,
          from: f.from ? new Date(`${f.from}T00:00:00`).toISOString() : null,
          to: f.to ? new Date(`${f.to}T23:59:59.999`).toISOString() : null,
        },
      },
    }),
  );

export const removeHistoryEntry = (entryId: string) =>
  call(api.DELETE('/api/v1/watched/{entry_id}', { params: { path: { entry_id: entryId } } }));
