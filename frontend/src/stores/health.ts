import { createSignal, onCleanup, onMount, type Accessor } from 'solid-js';
import { ApiError, toApiError } from '../api/client';
import { fetchReadiness, type HealthComponent, type HealthReport } from '../api/health';

export type { HealthComponent, HealthReport };

/**
 * Service readiness (`GET /api/v1/health/ready`), shared by the top-bar
 * indicator and the dashboard so both show the same answer from one request.
 */

/** `unreachable` means we got no usable report at all (network or server error). */
export type ServiceStatus = 'loading' | 'ok' | 'degraded' | 'unreachable';

export interface HealthStore {
  report: Accessor<HealthReport | undefined>;
  error: Accessor<ApiError | undefined>;
  loading: Accessor<boolean>;
  status: Accessor<ServiceStatus>;
  checkedAt: Accessor<Date | undefined>;
  refresh(): Promise<void>;
  /** Starts polling while at least one subscriber is mounted; returns unsubscribe. */
  subscribe(): () => void;
}

export interface HealthStoreOptions {
  fetcher?: () => Promise<HealthReport>;
  pollMs?: number;
}

export function createHealthStore(options: HealthStoreOptions = {}): HealthStore {
  const fetcher = options.fetcher ?? fetchReadiness;
  const pollMs = options.pollMs ?? 30_000;

  const [report, setReport] = createSignal<HealthReport>();
  const [error, setError] = createSignal<ApiError>();
  const [loading, setLoading] = createSignal(false);
  const [checkedAt, setCheckedAt] = createSignal<Date>();
  let inFlight: Promise<void> | undefined;
  let subscribers = 0;
  let timer: ReturnType<typeof setInterval> | undefined;

  const refresh = () => {
    inFlight ??= (async () => {
      setLoading(true);
      try {
        setReport(await fetcher());
        setError(undefined);
      } catch (err) {
        setReport(undefined);
        setError(toApiError(err));
      } finally {
        setCheckedAt(new Date());
        setLoading(false);
        inFlight = undefined;
      }
    })();
    return inFlight;
  };

  const status = (): ServiceStatus => {
    const current = report();
    if (current) return current.status;
    if (error()) return 'unreachable';
    return 'loading';
  };

  const poll = () => {
    if (typeof document !== 'undefined' && document.hidden) return;
    void refresh();
  };

  return {
    report,
    error,
    loading,
    status,
    checkedAt,
    refresh,
    subscribe() {
      subscribers += 1;
      if (subscribers === 1) {
        const last = checkedAt();
        if (!inFlight && (!last || Date.now() - last.getTime() >= pollMs)) void refresh();
        timer = setInterval(poll, pollMs);
      }
      let active = true;
      return () => {
        if (!active) return;
        active = false;
        subscribers -= 1;
        if (subscribers === 0) clearInterval(timer);
      };
    },
  };
}

let appHealth: HealthStore | undefined;

export function appHealthStore(): HealthStore {
  appHealth ??= createHealthStore();
  return appHealth;
}

/** Tests: the next appHealthStore() starts from nothing, as a new page would. */
export function resetHealthForTests() {
  appHealth = undefined;
}

/** Use inside a component: keeps the shared store polling while mounted. */
export function useHealth(store: HealthStore = appHealthStore()): HealthStore {
  onMount(() => onCleanup(store.subscribe()));
  return store;
}
