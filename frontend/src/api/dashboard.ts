/** The dashboard: every widget in one cached answer, and the live downloads polled beside it. */
import { api, call } from './client';

export const dashboardKeys = {
  all: ['dashboard'] as const,
};

export const fetchDashboard = () => call(api.GET('/api/v1/dashboard'));

/** The newest downloads with the worker's live telemetry (the dashboard answer is cached for minutes). */
export const fetchRecentDownloads = () => call(api.GET('/api/v1/downloads', { params: { query: { limit: 50 } } }));
