/** Metrics: the admin Health page's numbers (last 1 h / 24 h / 7 d) and the player's reports. */
import { api, call } from './client';
import type { components } from './schema';

export type MetricsWindow = '1h' | '24h' | '7d';
export type AdminMetrics = components['schemas']['AdminMetrics'];
export type PlaybackEvent = components['schemas']['PlaybackEventInput'];

export const metricsKeys = {
  window: (window: MetricsWindow) => ['admin', 'metrics', window] as const,
};

/** Every metric over the window: latencies {count, sum, avg, p50, p95} ms, counters {total}, ratios {ratio, total}. */
export const fetchMetrics = async (window: MetricsWindow = '24h') =>
  (await call(api.GET('/api/v1/admin/metrics', { params: { query: { window } } }))).metrics;

/** A player report (first frame, stall, fallback switch, resume held); never throws: a lost report is dropped. */
export function reportPlayback(event: PlaybackEvent): void {
  void api.POST('/api/v1/playback/events', { body: event }).catch(() => undefined);
}
