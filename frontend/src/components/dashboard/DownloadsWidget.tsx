import { A } from '@solidjs/router';
import { createEffect, createMemo, createSignal, For, on, onCleanup, Show, type Accessor } from 'solid-js';
import { fetchRecentDownloads } from '../../api/dashboard';
import type { Download } from '../../api/types';
import { formatDuration, formatSpeed } from '../../lib/format';
import { downloadTitle, errorText, qualityLabel } from '../downloads/labels';
import { isActive, POLL_MS, STATUS_LABEL, STATUS_TONE } from '../downloads/status';
import { anyActive, mergeDownloads } from './widgets';

/**
 * Live downloads on the dashboard. The dashboard response is cached for two
 * minutes, so while a job runs this polls the downloads list (which merges the
 * worker's live telemetry) instead of the whole dashboard.
 */
export function DownloadsWidget(props: { jobs: Accessor<Download[]> }) {
  const [jobs, setJobs] = createSignal<Download[]>([]);
  const [tick, setTick] = createSignal(0);
  createEffect(on(props.jobs, (fresh) => setJobs(fresh)));
  const ids = createMemo(() => jobs().map((job) => job.id));
  const byId = createMemo(() => new Map(jobs().map((job) => [job.id, job])));

  const refresh = async () => {
    try {
      const page = await fetchRecentDownloads();
      setJobs((current) => mergeDownloads(current, page.items));
    } catch {
      // A missed poll is retried on the next tick; the cards keep their last known state.
    } finally {
      setTick((n) => n + 1);
    }
  };

  createEffect(
    on([jobs, tick], () => {
      if (!anyActive(jobs())) return;
      const timer = setTimeout(() => void refresh(), POLL_MS);
      onCleanup(() => clearTimeout(timer));
    }),
  );

  return (
    <ul aria-label="Active downloads" class="grid grid-cols-1 gap-3 md:grid-cols-2">
      {/* Keyed by id, so a poll patches the row (the bar animates) instead of rebuilding it. */}
      <For each={ids()}>{(id) => <DownloadRow job={byId().get(id)!} />}</For>
    </ul>
  );
}

function DownloadRow(props: { job: Download }) {
  const percent = () => Math.min(100, Math.max(0, Math.round(props.job.progress)));
  const name = () => downloadTitle(props.job);
  return (
    <li class="min-w-0 rounded-2xl border border-line bg-surface p-4 transition-colors hover:border-line-strong">
      <div class="flex items-center justify-between gap-3">
        <A href="/app/downloads" class="min-w-0 truncate text-sm font-medium text-ink hover:text-accent-ink" title={name()}>
          {name()}
        </A>
        <span class={`shrink-0 rounded-full border px-2.5 py-0.5 text-xs ${STATUS_TONE[props.job.status]}`}>
          {STATUS_LABEL[props.job.status]}
        </span>
      </div>
      <div
        class="mt-3 h-1.5 overflow-hidden rounded-full bg-raised"
        role="progressbar"
        aria-label={`${name()} progress`}
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={percent()}
      >
        <div
          class="h-full rounded-full transition-[width] duration-700 ease-out-soft"
          classList={{ 'bg-accent': isActive(props.job.status), 'bg-ok': props.job.status === 'completed', 'bg-line-strong': !isActive(props.job.status) && props.job.status !== 'completed' }}
          style={{ width: `${percent()}%` }}
        />
      </div>
      <p class="mt-2 flex flex-wrap gap-x-3 text-xs tabular-nums text-ink-subtle">
        <span>{percent()}%</span>
        <Show when={qualityLabel(props.job.release)}>{(quality) => <span>{quality()}</span>}</Show>
        <Show when={isActive(props.job.status)}>
          <span>{formatSpeed(props.job.speedBps)}</span>
          <span>ETA {formatDuration(props.job.etaSeconds)}</span>
        </Show>
      </p>
      <Show when={errorText(props.job)}>{(error) => <p class="mt-1.5 text-xs text-warn">{error()}</p>}</Show>
    </li>
  );
}
