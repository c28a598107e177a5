import Cpu from 'lucide-solid/icons/cpu';
import { For } from 'solid-js';
import { adminKeys, fetchWorkers, type Worker } from '../../api/admin';
import { createApiQuery, pollEvery } from '../../api/queryClient';
import { formatBytes, formatRelative } from '../../lib/format';
import { EmptyState } from '../ui/EmptyState';
import { QueryView } from '../ui/QueryView';
import { ListSkeleton } from '../ui/Skeleton';
import { StatusDot } from '../ui/StatusDot';

/** Heartbeats arrive every few seconds; a slower refresh is plenty for a human watching. */
const POLL_MS = 10_000;

function Fact(props: { label: string; value: string }) {
  return (
    <div>
      <dt class="text-xs text-ink-subtle">{props.label}</dt>
      <dd class="mt-0.5 text-sm tabular-nums text-ink">{props.value}</dd>
    </div>
  );
}

function WorkerCard(props: { worker: Worker }) {
  const w = () => props.worker;
  return (
    <li class="rounded-2xl border border-line bg-surface p-5" aria-label={`Worker ${w().id}`}>
      <div class="flex flex-wrap items-center justify-between gap-3">
        <p class="min-w-0 truncate font-mono text-sm text-ink" title={w().id}>{w().id}</p>
        <span class="inline-flex items-center gap-2 text-sm" classList={{ 'text-ok': w().online, 'text-ink-muted': !w().online }}>
          <StatusDot tone={w().online ? 'ok' : 'danger'} pulse={w().online} />
          {w().online ? 'Online' : 'Offline'}
        </span>
      </div>
      <dl class="mt-4 grid grid-cols-2 gap-4 sm:grid-cols-4">
        <Fact label="Version" value={w().version} />
        <Fact label="Last seen" value={formatRelative(w().lastSeen)} />
        <Fact label="Free disk" value={formatBytes(w().freeDiskBytes)} />
        <Fact label="Active jobs" value={String(w().activeJobs)} />
      </dl>
      <p class="mt-3 text-xs text-ink-subtle">Started {formatRelative(w().startedAt)}</p>
    </li>
  );
}

/** Home workers from their heartbeats, online first. */
export function WorkersTab() {
  const workers = createApiQuery(() => ({
    queryKey: adminKeys.workers(),
    queryFn: fetchWorkers,
    refetchInterval: pollEvery(POLL_MS),
  }));
  const sorted = () => [...(workers.data ?? [])].sort((a, b) => Number(b.online) - Number(a.online));
  return (
    <QueryView
      query={workers}
      loading={<ListSkeleton rows={2} label="Loading workers…" />}
      isEmpty={(items) => items.length === 0}
      errorTitle="Couldn't read the worker heartbeats"
      empty={<EmptyState icon={Cpu} level={3} title="No worker has checked in" body="Start the home worker (python -m worker); it shows up here within a few seconds of its first heartbeat." />}
    >
      {() => (
        <ul class="grid gap-3 lg:grid-cols-2" aria-label="Workers">
          <For each={sorted()}>{(worker) => <WorkerCard worker={worker} />}</For>
        </ul>
      )}
    </QueryView>
  );
}
