import { useHealth, type HealthStore, type ServiceStatus } from '../../stores/health';
import { StatusDot, type StatusTone } from '../ui/StatusDot';

const presentation: Record<ServiceStatus, { tone: StatusTone; short: string; long: string }> = {
  loading: { tone: 'pending', short: 'Checking', long: 'Checking services' },
  ok: { tone: 'ok', short: 'All good', long: 'All services running' },
  degraded: { tone: 'warn', short: 'Degraded', long: 'Some services are down' },
  unreachable: { tone: 'danger', short: 'Offline', long: 'The API is unreachable' },
};

/** Compact service status in the top bar; the dashboard has the details. */
export function StatusIndicator(props: { store?: HealthStore }) {
  const health = useHealth(props.store);
  const view = () => presentation[health.status()];

  return (
    <a
      href="/app/dashboard#services"
      class="inline-flex h-9 shrink-0 items-center gap-2 rounded-full px-3 text-xs font-medium text-ink-muted transition-colors hover:bg-hover hover:text-ink"
      aria-label={`Service status: ${view().long}`}
      title={view().long}
      data-status={health.status()}
    >
      <StatusDot tone={view().tone} pulse={health.status() !== 'ok' && health.status() !== 'loading'} />
      <span aria-hidden="true" class="hidden xl:inline">
        {view().short}
      </span>
    </a>
  );
}
