import { A } from '@solidjs/router';
import DatabaseZap from 'lucide-solid/icons/database-zap';
import { createSignal, For, Show } from 'solid-js';
import {
  adminKeys, fetchImdbStatus, fetchRatingsCoverage, type ImdbFileStats, type ImdbImportStatus, type ImdbRun, type RatingsCoverage,
} from '../../api/admin';
import { createApiQuery, pollEvery } from '../../api/queryClient';
import { formatRelative } from '../../lib/format';
import { buttonStyles } from '../ui/button';
import { EmptyState } from '../ui/EmptyState';
import { Section } from '../ui/Page';
import { QueryView } from '../ui/QueryView';
import { ListSkeleton } from '../ui/Skeleton';
import { StatusDot } from '../ui/StatusDot';
import { activeRun, isRunning, percentOf, runFiles, runStatus, startImdbImport } from './catalogData';
import { EnrichmentPanel } from './EnrichmentPanel';

const POLL_RUNNING_MS = 3_000;
const num = (value: number | null | undefined) => (value ?? 0).toLocaleString();

function FileTable(props: { files: (ImdbFileStats & { file: string })[]; label: string }) {
  return (
    <div class="mt-4 overflow-x-auto">
      <table class="w-full min-w-[32rem] text-sm" aria-label={props.label}>
        <thead>
          <tr class="text-left text-xs text-ink-subtle">
            <th scope="col" class="pb-2 font-medium">File</th>
            <th scope="col" class="pb-2 font-medium">State</th>
            <th scope="col" class="pb-2 text-right font-medium">Read</th>
            <th scope="col" class="pb-2 text-right font-medium">Malformed</th>
            <th scope="col" class="pb-2 text-right font-medium">Inserted</th>
            <th scope="col" class="pb-2 text-right font-medium">Updated</th>
          </tr>
        </thead>
        <tbody class="divide-y divide-line tabular-nums">
          <For each={props.files}>
            {(file) => (
              <tr>
                <th scope="row" class="py-2 text-left font-mono text-xs font-normal text-ink">{file.file}</th>
                <td class="py-2 text-ink-muted">{file.status ? runStatus(file.status).label : '—'}</td>
                <td class="py-2 text-right text-ink-muted">{num(file.read)}</td>
                <td class="py-2 text-right" classList={{ 'text-warn': (file.malformed ?? 0) > 0, 'text-ink-muted': !file.malformed }}>{num(file.malformed)}</td>
                <td class="py-2 text-right text-ink-muted">{num(file.inserted)}</td>
                <td class="py-2 text-right text-ink-muted">{num(file.updated)}</td>
              </tr>
            )}
          </For>
        </tbody>
      </table>
    </div>
  );
}

function RunCard(props: { run: ImdbRun; title: string }) {
  const status = () => runStatus(props.run.status);
  return (
    <li aria-label={props.title} class="rounded-2xl border border-line bg-surface p-5">
      <p class="flex flex-wrap items-center gap-x-5 gap-y-1.5 text-sm text-ink-muted">
        <span class="inline-flex items-center gap-2 font-medium text-ink">
          <StatusDot tone={status().tone} pulse={isRunning(props.run)} />
          {status().label}
        </span>
        <Show when={props.run.startedAt}>
          <span>started {formatRelative(props.run.startedAt)}</span>
        </Show>
        <Show when={props.run.finishedAt}>
          <span>finished {formatRelative(props.run.finishedAt)}</span>
        </Show>
      </p>
      <Show when={isRunning(props.run) && props.run.currentFile}>
        <p class="mt-3 text-sm text-ink">
          Reading <span class="font-mono text-xs">{props.run.currentFile}</span>
          <Show when={props.run.rowsDone != null}> · <span class="tabular-nums">{num(props.run.rowsDone)}</span> rows done</Show>
        </p>
      </Show>
      <Show when={runFiles(props.run).length}>
        <FileTable files={runFiles(props.run)} label={`${props.title}: files`} />
      </Show>
      <Show when={props.run.error}>
        <p class="mt-3 rounded-xl border border-danger/30 bg-danger/10 px-3 py-2 font-mono text-xs text-danger">{props.run.error}</p>
      </Show>
    </li>
  );
}

function CoverageBar(props: { label: string; part: number; whole: number }) {
  const percent = () => percentOf(props.part, props.whole);
  return (
    <div>
      <div class="flex items-baseline justify-between gap-3 text-sm">
        <span class="text-ink">{props.label}</span>
        <span class="tabular-nums text-ink-muted">
          {props.part.toLocaleString()} of {props.whole.toLocaleString()} · {percent()}%
        </span>
      </div>
      <div class="mt-2 h-1.5 overflow-hidden rounded-full bg-raised" role="progressbar" aria-label={props.label} aria-valuemin={0} aria-valuemax={100} aria-valuenow={percent()}>
        <div class="h-full rounded-full bg-linear-to-r from-accent to-secondary transition-[width] duration-500" style={{ width: `${percent()}%` }} />
      </div>
    </div>
  );
}

function Coverage(props: { coverage: RatingsCoverage }) {
  const c = () => props.coverage;
  return (
    <div class="flex flex-col gap-5 rounded-2xl border border-line bg-surface p-5">
      <Show when={!c().keyConfigured}>
        <p class="rounded-xl border border-warn/30 bg-warn/10 px-3 py-2 text-sm text-ink">
          No OMDb API key: Rotten Tomatoes and Metacritic scores are not fetched.{' '}
          <A href="/app/settings#instance" class="text-accent-ink hover:underline">Add one in Settings</A>
        </p>
      </Show>
      <CoverageBar label="Catalog titles with ratings" part={c().covered} whole={c().total} />
      <CoverageBar label="Library titles with ratings" part={c().libraryCovered} whole={c().libraryTotal} />
      <p class="flex flex-wrap gap-x-5 gap-y-1 text-xs text-ink-subtle">
        <span>{c().lastRunAt ? `Last pass ${formatRelative(c().lastRunAt)}` : 'No ratings pass yet'}</span>
      </p>
      <Show when={c().lastError}>
        <p class="rounded-xl border border-danger/30 bg-danger/10 px-3 py-2 font-mono text-xs text-danger">{c().lastError}</p>
      </Show>
    </div>
  );
}

/** The IMDb datasets import (progress, per-file counts, "Import now"), ratings coverage and enrichment per source. */
export function CatalogDataTab() {
  const [starting, setStarting] = createSignal(false);
  // Polls while a run is in progress, so its counters move.
  const imdb = createApiQuery(() => ({
    queryKey: adminKeys.imdb(),
    queryFn: fetchImdbStatus,
    refetchInterval: (query) =>
      activeRun(query.state.data as ImdbImportStatus | undefined) ? pollEvery(POLL_RUNNING_MS)(query) : false,
  }));
  const ratings = createApiQuery(() => ({ queryKey: adminKeys.ratings(), queryFn: fetchRatingsCoverage }));
  const running = () => !!activeRun(imdb.data);
  const finished = () => (imdb.data?.runs ?? []).filter((run) => !isRunning(run)).slice(0, 5);

  const importNow = async () => {
    setStarting(true);
    if (await startImdbImport()) await imdb.refetch();
    setStarting(false);
  };

  return (
    <div class="flex flex-col gap-12">
      <Section
        id="imdb"
        title="IMDb datasets"
        aside={
          <button type="button" class={buttonStyles.secondary} disabled={starting() || running()} onClick={() => void importNow()}>
            {running() ? 'Importing…' : starting() ? 'Starting…' : 'Import now'}
          </button>
        }
      >
        <QueryView
          query={imdb}
          loading={<ListSkeleton rows={2} label="Loading the IMDb import…" />}
          isEmpty={(s) => !activeRun(s) && !(s.runs ?? []).length}
          errorTitle="Couldn't read the IMDb import"
          empty={<EmptyState icon={DatabaseZap} level={3} title="No IMDb import yet" body="Import IMDb's public datasets for ratings, people and credits of every title in the catalog." />}
        >
          {(s) => (
            <ul class="flex flex-col gap-3" aria-label="IMDb imports">
              <Show when={activeRun(s())}>{(run) => <RunCard run={run()} title="Import in progress" />}</Show>
              <For each={finished()}>{(run, index) => <RunCard run={run} title={index() === 0 ? 'Last import' : `Import ${formatRelative(run.startedAt)}`} />}</For>
            </ul>
          )}
        </QueryView>
      </Section>
      <Section id="ratings" title="Ratings coverage">
        <QueryView query={ratings} loading={<ListSkeleton rows={2} label="Loading ratings coverage…" />} errorTitle="Couldn't read the ratings coverage">
          {(c) => <Coverage coverage={c()} />}
        </QueryView>
      </Section>
      <EnrichmentPanel />
    </div>
  );
}
