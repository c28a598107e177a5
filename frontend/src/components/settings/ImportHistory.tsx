import FileUp from 'lucide-solid/icons/file-up';
import { createSignal, For, Match, Show, Switch } from 'solid-js';
import type { ApiError } from '../../api/client';
import { formatDateTime } from '../../lib/format';
import { QueryView } from '../ui/QueryView';
import { ListSkeleton } from '../ui/Skeleton';
import { buttonStyles } from '../ui/button';
import { fieldStyles } from '../ui/form';
import { formatLabel, IMPORT_FORMATS, isBusy, STATUS_LABELS, type ImportDetail, type ImportFormat, type Imports } from './imports';
import { settingsCard } from './SettingRow';

/** Bring your history: pick a format and a file, check the preview, apply; past imports below. */
export function ImportHistory(props: { imports: Imports }) {
  const shown = () => {
    const data = props.imports.current.data;
    return data && data.id === props.imports.currentId() ? data : undefined;
  };
  return (
    <div class="flex flex-col gap-4">
      <UploadForm imports={props.imports} />
      <Show when={props.imports.currentId()}>
        <Switch>
          <Match when={shown()}>{(data) => <ImportProgress data={data()} imports={props.imports} />}</Match>
          <Match when={props.imports.current.error}>
            <p role="alert" class={fieldStyles.error}>Couldn't load the import: {props.imports.current.error!.message}</p>
          </Match>
          <Match when={true}>
            <ListSkeleton rows={1} label="Loading the import…" />
          </Match>
        </Switch>
      </Show>
      <PastImports imports={props.imports} />
    </div>
  );
}

function UploadForm(props: { imports: Imports }) {
  const [format, setFormat] = createSignal<ImportFormat>('letterboxd');
  const [file, setFile] = createSignal<File>();
  const [error, setError] = createSignal<ApiError>();
  const chosen = () => IMPORT_FORMATS.find((f) => f.value === format())!;

  const submit = async (event: SubmitEvent) => {
    event.preventDefault();
    const picked = file();
    if (!picked) return;
    setError(undefined);
    const refused = await props.imports.upload(format(), picked);
    if (refused) setError(refused);
  };

  return (
    <form class={`${settingsCard} grid gap-4 px-5 py-5 sm:grid-cols-[14rem_1fr_auto] sm:items-end sm:px-6`} aria-label="Import your history" onSubmit={(e) => void submit(e)}>
      <div>
        <label for="import-format" class={fieldStyles.label}>From</label>
        <select id="import-format" class={`${fieldStyles.select} w-full`} value={format()} onChange={(e) => setFormat(e.currentTarget.value as ImportFormat)}>
          <For each={IMPORT_FORMATS}>{(f) => <option value={f.value}>{f.label}</option>}</For>
        </select>
      </div>
      <div class="min-w-0">
        <label for="import-file" class={fieldStyles.label}>Export file</label>
        <input
          id="import-file"
          type="file"
          accept={chosen().accept}
          aria-describedby="import-hint"
          class="block w-full text-sm text-ink-muted file:mr-3 file:h-10 file:cursor-pointer file:rounded-full file:border file:border-line-strong file:bg-raised file:px-4 file:text-sm file:font-medium file:text-ink hover:file:bg-hover"
          onChange={(e) => setFile(e.currentTarget.files?.[0])}
        />
      </div>
      <button type="submit" class={buttonStyles.primary} disabled={!file() || props.imports.uploading()}>
        <FileUp class="size-4" strokeWidth={1.75} />
        {props.imports.uploading() ? 'Uploading…' : 'Upload'}
      </button>
      <p id="import-hint" class="text-xs text-ink-subtle sm:col-span-3">
        {chosen().hint} Nothing changes until you look at the preview and apply it.
      </p>
      <Show when={error()}>
        <p role="alert" class={`${fieldStyles.error} sm:col-span-3`}>{error()!.message}</p>
      </Show>
    </form>
  );
}

function Count(props: { label: string; value: number; tone?: string }) {
  return (
    <div class="rounded-xl border border-line bg-canvas/40 px-4 py-3">
      <dt class="text-xs text-ink-subtle">{props.label}</dt>
      <dd class={`mt-1 text-xl font-semibold tabular-nums ${props.tone ?? 'text-ink'}`}>{props.value}</dd>
    </div>
  );
}

function ImportProgress(props: { data: ImportDetail; imports: Imports }) {
  const [error, setError] = createSignal<ApiError>();
  const [applying, setApplying] = createSignal(false);
  const percent = () => {
    const { done, total } = props.data.progress;
    return total ? Math.round((done / total) * 100) : 0;
  };
  const apply = async () => {
    setApplying(true);
    setError(undefined);
    const refused = await props.imports.apply();
    setApplying(false);
    if (refused) setError(refused);
  };

  return (
    <section aria-labelledby="import-current-title" class={`${settingsCard} px-5 py-5 sm:px-6`} aria-busy={isBusy(props.data.status)}>
      <div class="flex flex-wrap items-baseline justify-between gap-2">
        <h3 id="import-current-title" class="font-medium text-ink">
          {formatLabel(props.data.format)} · <span class="font-normal text-ink-muted">{props.data.filename}</span>
        </h3>
        <p role="status" class="text-sm text-ink-muted" data-status={props.data.status}>{STATUS_LABELS[props.data.status]}</p>
      </div>
      <Switch>
        <Match when={props.data.status === 'parsing'}>
          <p class="mt-3 text-sm text-ink-muted">Reading the file and matching titles to the catalog…</p>
        </Match>
        <Match when={props.data.status === 'failed'}>
          <p role="alert" class={fieldStyles.error}>{props.data.error ?? 'The import failed.'}</p>
        </Match>
        <Match when={true}>
          <dl class="mt-4 grid grid-cols-2 gap-3 sm:grid-cols-4" aria-label="Preview">
            <Count label="Rows" value={props.data.preview.rows} />
            <Count label="Matched" value={props.data.preview.matched} tone="text-ok" />
            <Count label="Unmatched" value={props.data.preview.unmatched} tone={props.data.preview.unmatched ? 'text-warn' : undefined} />
            <Count label="To add" value={props.data.preview.toAdd} tone="text-accent-ink" />
          </dl>
          <Show when={props.data.status === 'applying' || props.data.status === 'applied'}>
            <div class="mt-4">
              <div
                role="progressbar"
                aria-label="Import progress"
                aria-valuemin={0}
                aria-valuemax={100}
                aria-valuenow={props.data.status === 'applied' ? 100 : percent()}
                class="h-2 overflow-hidden rounded-full bg-raised"
              >
                <div class="h-full rounded-full bg-accent transition-[width] duration-500" style={{ width: `${props.data.status === 'applied' ? 100 : percent()}%` }} />
              </div>
              <p class="mt-2 text-xs text-ink-subtle">
                {props.data.status === 'applied'
                  ? `Done${props.data.appliedAt ? ` · ${formatDateTime(props.data.appliedAt)}` : ''}: your history, ratings and lists are in.`
                  : `${props.data.progress.done} of ${props.data.progress.total}`}
              </p>
            </div>
          </Show>
          <Show when={props.data.unmatched.length}>
            <details class="mt-4 rounded-xl border border-line">
              <summary class="cursor-pointer px-4 py-3 text-sm text-ink">
                {props.data.preview.unmatched} not found in the catalog{props.data.preview.unmatched > props.data.unmatched.length ? ` (first ${props.data.unmatched.length} shown)` : ''}
              </summary>
              <ul aria-label="Unmatched rows" class="max-h-72 divide-y divide-line overflow-y-auto border-t border-line">
                <For each={props.data.unmatched}>
                  {(row) => (
                    <li class="flex items-baseline justify-between gap-3 px-4 py-2 text-sm">
                      <span class="min-w-0 truncate text-ink">
                        <span class="mr-2 font-mono text-xs text-ink-subtle">#{row.row}</span>
                        {row.title ?? 'Untitled'}
                        {row.year ? ` (${row.year})` : ''}
                        {row.seasonNumber != null && row.episodeNumber != null ? ` · S${row.seasonNumber}E${row.episodeNumber}` : ''}
                      </span>
                      <span class="shrink-0 text-xs text-ink-subtle">{row.reason}</span>
                    </li>
                  )}
                </For>
              </ul>
            </details>
          </Show>
          <Show when={props.data.preview.skipped}>
            <details class="mt-4 rounded-xl border border-line">
              <summary class="cursor-pointer px-4 py-3 text-sm text-ink">
                {props.data.preview.skipped} {props.data.preview.skipped === 1 ? 'line' : 'lines'} of the file could not be imported
                {(props.data.preview.skipped ?? 0) > (props.data.skippedRows ?? []).length ? ` (first ${(props.data.skippedRows ?? []).length} shown)` : ''}
              </summary>
              <ul aria-label="Skipped lines" class="max-h-72 divide-y divide-line overflow-y-auto border-t border-line">
                <For each={props.data.skippedRows ?? []}>
                  {(line) => (
                    <li class="flex items-baseline gap-3 px-4 py-2 text-sm">
                      <span class="font-mono text-xs text-ink-subtle">#{line.row}</span>
                      <span class="min-w-0 text-ink-muted">{line.reason}</span>
                    </li>
                  )}
                </For>
              </ul>
            </details>
          </Show>
          <Show when={props.data.status === 'preview'}>
            <div class="mt-5 flex flex-wrap items-center justify-end gap-3">
              <Show when={error()}>
                <p role="alert" class="mr-auto text-sm text-danger">{error()!.message}</p>
              </Show>
              <button type="button" class={buttonStyles.ghost} onClick={() => props.imports.open(undefined)}>Not now</button>
              <button type="button" class={buttonStyles.primary} disabled={applying() || props.data.preview.toAdd === 0} onClick={() => void apply()}>
                {applying() ? 'Starting…' : props.data.preview.toAdd ? `Apply ${props.data.preview.toAdd} changes` : 'Nothing to add'}
              </button>
            </div>
          </Show>
        </Match>
      </Switch>
    </section>
  );
}

function PastImports(props: { imports: Imports }) {
  return (
    <div>
      <h3 class="mb-3 text-sm font-medium text-ink-muted">Past imports</h3>
      <QueryView
        query={props.imports.past}
        loading={<ListSkeleton rows={2} label="Loading your imports…" />}
        isEmpty={(page) => page.items.length === 0}
        empty={<p class="text-sm text-ink-subtle">No imports yet.</p>}
        errorTitle="Couldn't load your imports"
      >
        {(page) => (
          <ul aria-label="Past imports" class={`${settingsCard} divide-y divide-line`}>
            <For each={page().items}>
              {(item) => (
                <li class="flex flex-wrap items-center justify-between gap-3 px-5 py-3 sm:px-6">
                  <div class="min-w-0">
                    <p class="truncate text-sm text-ink">
                      {formatLabel(item.format)} · <span class="text-ink-muted">{item.filename}</span>
                    </p>
                    <p class="text-xs text-ink-subtle">
                      {formatDateTime(item.createdAt)} · {STATUS_LABELS[item.status]}
                      {item.status !== 'failed' && item.status !== 'parsing' ? ` · ${item.preview.matched} of ${item.preview.rows} matched` : ''}
                    </p>
                  </div>
                  <button type="button" class={buttonStyles.ghost} onClick={() => props.imports.open(item.id)}>
                    {item.status === 'preview' ? 'Review' : 'Details'}
                  </button>
                </li>
              )}
            </For>
          </ul>
        )}
      </QueryView>
    </div>
  );
}
