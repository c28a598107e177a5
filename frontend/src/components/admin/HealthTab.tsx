import Activity from 'lucide-solid/icons/activity';
import { createSignal, For } from 'solid-js';
import { fetchMetrics, metricsKeys, type AdminMetrics, type MetricsWindow } from '../../api/metrics';
import { createApiQuery, pollEvery } from '../../api/queryClient';
import { EmptyState } from '../ui/EmptyState';
import { QueryView } from '../ui/QueryView';
import { ListSkeleton } from '../ui/Skeleton';

type Metrics = AdminMetrics['metrics'];
/** The numbers move with every request; a minute is plenty for a page someone glances at. */
const POLL_MS = 60_000;
const WINDOWS: { key: MetricsWindow; label: string }[] = [
  { key: '1h', label: 'Last hour' },
  { key: '24h', label: 'Last 24 h' },
  { key: '7d', label: 'Last 7 days' },
];

const num = (m: Metrics, name: string, field: string) => m[name]?.[field] ?? 0;
const ms = (value: number) => (value >= 1000 ? `${(value / 1000).toFixed(1)} s` : `${Math.round(value)} ms`);
const count = (value: number) => value.toLocaleString('en');

interface Card { title: string; value: string; detail: string }

/** The key numbers: how fast Get and Play are, how playback goes, how the API holds up. */
export function healthCards(m: Metrics): Card[] {
  const latency = (title: string, name: string): Card => ({
    title,
    value: num(m, name, 'count') ? `${ms(num(m, name, 'p50'))} · p95 ${ms(num(m, name, 'p95'))}` : '—',
    detail: `${count(num(m, name, 'count'))} measured`,
  });
  const requests = num(m, 'http_requests_total', 'total');
  const errors = num(m, 'http_request_errors_total', 'total');
  const tries = num(m, 'prefetch_hit_ratio', 'total');
  return [
    latency('Search', 'search_latency_ms'),
    latency('Scoring', 'score_latency_ms'),
    latency('Play to first frame', 'start_to_first_byte_ms'),
    { title: 'Stalls', value: count(num(m, 'buffer_events_total', 'total')), detail: 'times the player waited for data' },
    { title: 'Fallback switches', value: count(num(m, 'fallback_switch_total', 'total')), detail: 'direct → remux → HLS' },
    { title: 'Resumes', value: count(num(m, 'resume_success_total', 'total')), detail: 'plays that picked up where they stopped' },
    {
      title: 'Next episode ready',
      value: tries ? `${Math.round(num(m, 'prefetch_hit_ratio', 'ratio') * 100)} %` : '—',
      detail: `${count(tries)} prefetched`,
    },
    { ...latency('API requests', 'http_request_latency_ms'), detail: `${count(requests)} requests · ${count(errors)} errors (5xx)` },
  ];
}

/** Admin → Health: the key numbers over a window, from every process and function (Redis buckets). */
export function HealthTab() {
  const [window, setWindow] = createSignal<MetricsWindow>('24h');
  const metrics = createApiQuery(() => ({
    queryKey: metricsKeys.window(window()),
    queryFn: () => fetchMetrics(window()),
    refetchInterval: pollEvery(POLL_MS),
  }));
  const quiet = (m: Metrics) => num(m, 'http_requests_total', 'total') === 0;
  return (
    <section aria-label="Health" class="space-y-4">
      <div role="radiogroup" aria-label="Window" class="flex gap-2">
        <For each={WINDOWS}>
          {(w) => (
            <button
              type="button"
              role="radio"
              aria-checked={window() === w.key}
              class="rounded-full border border-line px-3 py-1 text-sm"
              classList={{ 'bg-surface-raised text-ink': window() === w.key, 'text-ink-muted': window() !== w.key }}
              onClick={() => setWindow(w.key)}
            >
              {w.label}
            </button>
          )}
        </For>
      </div>
      <QueryView
        query={metrics}
        loading={<ListSkeleton rows={2} label="Loading the numbers…" />}
        isEmpty={quiet}
        errorTitle="Couldn't read the metrics"
        empty={<EmptyState icon={Activity} level={3} title="Nothing recorded yet" body="Numbers appear here once the API has answered requests in this window." />}
      >
        {(data) => (
          <ul class="grid gap-3 sm:grid-cols-2 lg:grid-cols-4" aria-label="Key numbers">
            <For each={healthCards(data())}>
              {(card) => (
                <li class="rounded-2xl border border-line bg-surface p-5" aria-label={card.title}>
                  <p class="text-xs text-ink-subtle">{card.title}</p>
                  <p class="mt-1 text-lg tabular-nums text-ink">{card.value}</p>
                  <p class="mt-1 text-xs text-ink-subtle">{card.detail}</p>
                </li>
              )}
            </For>
          </ul>
        )}
      </QueryView>
    </section>
  );
}
