/** The app's own health: service readiness, and render errors the browser reports to the server log. */
import { ApiError, api, call } from './client';
import type { components } from './schema';

export type ClientError = components['schemas']['ClientErrorInput'];

/** Sends a render error to the server log; never throws (a report that fails is dropped). */
export function reportClientError(body: ClientError): void {
  void api.POST('/api/v1/client-errors', { body }).catch(() => undefined);
}

export interface HealthComponent {
  ok: boolean;
  detail?: string;
}

export interface HealthReport {
  status: 'ok' | 'degraded';
  components: Record<string, HealthComponent>;
}

export function isHealthReport(value: unknown): value is HealthReport {
  if (typeof value !== 'object' || value === null) return false;
  const { status, components } = value as Record<string, unknown>;
  return (
    (status === 'ok' || status === 'degraded') &&
    typeof components === 'object' &&
    components !== null &&
    Object.values(components).every(
      (c) => typeof c === 'object' && c !== null && typeof (c as HealthComponent).ok === 'boolean',
    )
  );
}

/** The API answers 503 with a full report when something is down: that is data, not an error. */
export async function fetchReadiness(): Promise<HealthReport> {
  try {
    const report: unknown = await call(api.GET('/api/v1/health/ready'));
    if (isHealthReport(report)) return report;
    throw new ApiError(200, 'invalid_response', 'The health check returned an unexpected answer.', {}, report);
  } catch (error) {
    if (error instanceof ApiError && error.status === 503 && isHealthReport(error.body)) return error.body;
    throw error;
  }
}
