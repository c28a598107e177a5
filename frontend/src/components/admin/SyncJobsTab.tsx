import CalendarClock from 'lucide-solid/icons/calendar-clock';
import { createSignal, For, Show } from 'solid-js';
import { adminKeys, fetchSyncJobs, type SyncJob } from '../../api/admin';
import { createApiQuery, setQueryData } from '../../api/queryClient';
import { formatRelative } from '../../lib/format';
import { buttonStyles } from '../ui/button';
import { EmptyState } from '../ui/EmptyState';
import { QueryView } from '../ui/QueryView';
import { ListSkeleton } from '../ui/Skeleton';
import { StatusDot } from '../ui/StatusDot';
import { formatMs, jobLabel, jobPurpose, jobStatus, keyHint, scheduleLabel } from './labels';
import { runJob } from './runJob';

/** The counters a job recorded ("movies 120 · pages 6"); nested values are left out. */
function statsLine(stats: Record<string, unknown>): string {
  return Object.entries(stats)
    .filter(([, v]) => typeof v === 'number' || typeof v === 'string')
    .slice(0, 6)
    .map(([k, v]) => `${k} ${typeof v === 'number' ? v.toLocaleString() : v}`)
    .join(' · ');
}

function JobRow(props: { job: SyncJob; running: boolean; onRun: () => void }) {
  const j = () => props.job;
  const status = () => (props.running ? { label: 'Running', tone: 'pending' as const } : jobStatus(j().status));
  return (
    <li class="rounded-2xl border border-line bg-surface p-5" aria-label={jobLabel(j().name)}>
      <div class="flex flex-wrap items-start justify-between gap-4">
        <div class="min-w-0">
          <p class="font-medium text-ink">{jobLabel(j().name)}</p>
          <Show when={jobPurpose(j().name)}>
            <p class="mt-0.5 text-sm text-ink-muted">{jobPurpose(j().name)}</p>
          </Show>
          <p class="mt-0.5 text-xs text-ink-subtle">{scheduleLabel(j().schedule)}</p>
        </div>
        <button type="button" class={buttonStyles.secondary} disabled={!j().canRun || props.running} aria-label={`Run ${jobLabel(j().name)} now`} onClick={() => props.onRun()}>
          {props.running ? 'Running…' : 'Run now'}
        </button>
      </div>
      <p class="mt-4 flex flex-wrap items-center gap-x-5 gap-y-1.5 text-sm text-ink-muted">
        <span class="inline-flex items-center gap-2 text-ink">
          <StatusDot tone={status().tone} />
          {status().label}
        </span>
        <Show when={j().lastStartedAt}>
          <span>Last run {formatRelative(j().lastStartedAt)}</span>
          <span>took {formatMs(j().durationMs)}</span>
        </Show>
        <Show when={j().status === 'failed' && j().lastSuccessAt}>
          <span>last success {formatRelative(j().lastSuccessAt)}</span>
        </Show>
        <Show when={j().consecutiveFailures > 1}>
          <span class="text-danger">{j().consecutiveFailures} failures in a row</span>
        </Show>
      </p>
      <Show when={keyHint(j().needsKey)}>
        {(hint) => <p class="mt-2 text-sm text-warn" data-testid="job-needs-key">{hint()}</p>}
      </Show>
      <Show when={j().status !== 'skipped' && statsLine(j().stats)}>
        {(line) => <p class="mt-2 text-xs tabular-nums text-ink-subtle">Last run: {line()}</p>}
      </Show>
      <Show when={j().error}>
        <p class="mt-3 rounded-xl border border-danger/30 bg-danger/10 px-3 py-2 font-mono text-xs text-danger">{j().error}</p>
      </Show>
    </li>
  );
}

/** Scheduled jobs (catalog sync, recommendations, calendar, cleanup) with their last run and "Run now". */
export function SyncJobsTab() {
  const jobs = createApiQuery(() => ({ queryKey: adminKeys.syncJobs(), queryFn: fetchSyncJobs }));
  const [running, setRunning] = createSignal<ReadonlySet<string>>(new Set());
  const mark = (name: string, on: boolean) =>
    setRunning((set) => {
      const next = new Set(set);
      if (on) next.add(name);
      else next.delete(name);
      return next;
    });

  const run = async (job: SyncJob) => {
    mark(job.name, true);
    const result = await runJob(job.name);
    if (result) setQueryData<SyncJob[]>(adminKeys.syncJobs(), (items) => items?.map((j) => (j.name === result.name ? result : j)));
    mark(job.name, false);
  };

  return (
    <QueryView
      query={jobs}
      loading={<ListSkeleton rows={4} label="Loading scheduled jobs…" />}
      isEmpty={(items) => items.length === 0}
      errorTitle="Couldn't load the scheduled jobs"
      empty={<EmptyState icon={CalendarClock} level={3} title="No scheduled jobs" body="This server has no scheduled jobs registered." />}
    >
      {(items) => (
        <ul class="flex flex-col gap-3" aria-label="Scheduled jobs">
          <For each={items()}>{(job) => <JobRow job={job} running={running().has(job.name)} onRun={() => void run(job)} />}</For>
        </ul>
      )}
    </QueryView>
  );
}
