import { A } from '@solidjs/router';
import ChevronDown from 'lucide-solid/icons/chevron-down';
import Play from 'lucide-solid/icons/play';
import Magnet from 'lucide-solid/icons/magnet';
import TvMinimalPlay from 'lucide-solid/icons/tv-minimal-play';
import Link from 'lucide-solid/icons/link';
import FileUp from 'lucide-solid/icons/file-up';
import { createSignal, For, Show } from 'solid-js';
import { downloadKeys, fetchDownload, fetchDownloadEvents } from '../../api/downloads';
import { createApiQuery, pollEvery } from '../../api/queryClient';
import type { Download } from '../../api/types';
import { formatBytes, formatDateTime, formatDuration, formatRelative, formatSpeed, titleHref } from '../../lib/format';
import { buttonStyles } from '../ui/button';
import { ErrorState } from '../ui/ErrorState';
import { ListSkeleton } from '../ui/Skeleton';
import { Poster } from '../media/Poster';
import { actorLabel, downloadTitle, errorText, qualityLabel, releaseName, timelineMessage } from './labels';
import { isActive, isWatchable, POLL_MS, STATUS_LABEL, STATUS_TONE, watchDownloadHref } from './status';

const sourceIcon = { magnet: Magnet, torrent: FileUp, http: Link, direct: Link, video: TvMinimalPlay } as const;

/** Files and the state-change timeline of one download, refreshed while it runs. */
function Timeline(props: { id: string; active: boolean; release: string; errorCode?: string | null }) {
  const events = createApiQuery(() => {
    const id = props.id;
    return { queryKey: downloadKeys.events(id), queryFn: () => fetchDownloadEvents(id), refetchInterval: pollEvery(props.active ? POLL_MS : false) };
  });
  const detail = createApiQuery(() => {
    const id = props.id;
    return { queryKey: downloadKeys.detail(id), queryFn: () => fetchDownload(id), refetchInterval: pollEvery(props.active ? POLL_MS * 2 : false) };
  });
  return (
    <div class="mt-5 grid gap-6 border-t border-line pt-5 lg:grid-cols-[1.3fr_1fr]">
      <p class="min-w-0 break-all text-xs text-ink-subtle lg:col-span-2" data-testid="release-name">
        <span class="text-ink-muted">Release</span> {props.release}
        <Show when={props.errorCode}>
          <span class="font-mono"> · {props.errorCode}</span>
        </Show>
      </p>
      <div>
        <h3 class="mb-3 text-xs font-medium uppercase tracking-[0.14em] text-ink-subtle">Timeline</h3>
        <Show when={events.error && !events.data}><ErrorState compact error={events.error!} onRetry={() => void events.refetch()} /></Show>
        <Show when={events.data} fallback={<Show when={!events.error}><ListSkeleton rows={2} label="Loading timeline…" /></Show>}>
          {(items) => (
            <ol class="relative ml-1.5 border-l border-line">
              <For each={items()} fallback={<li class="pl-5 text-sm text-ink-muted">No events yet.</li>}>
                {(event) => (
                  <li class="relative pb-4 pl-5 last:pb-0">
                    <span class={`absolute -left-[5px] top-1.5 size-2.5 rounded-full border-2 border-canvas ${event.toStatus === 'failed' ? 'bg-danger' : event.toStatus === 'completed' ? 'bg-ok' : 'bg-accent'}`} />
                    <p class="text-sm text-ink">
                      {STATUS_LABEL[event.toStatus]}
                      <Show when={event.progress != null}>
                        <span class="text-ink-subtle"> · {Math.round(event.progress ?? 0)}%</span>
                      </Show>
                      <span class="text-ink-subtle"> · {actorLabel(event.actor)}{event.attempt > 1 ? ` · attempt ${event.attempt}` : ''}</span>
                    </p>
                    <p class="text-xs text-ink-subtle">{formatDateTime(event.at)}</p>
                    <Show when={timelineMessage(event)}>
                      {(message) => <p class="mt-0.5 text-xs text-ink-muted">{message()}</p>}
                    </Show>
                  </li>
                )}
              </For>
            </ol>
          )}
        </Show>
      </div>
      <div>
        <h3 class="mb-3 text-xs font-medium uppercase tracking-[0.14em] text-ink-subtle">Files</h3>
        <ul class="flex flex-col gap-2">
          <For each={detail.data?.files ?? []} fallback={<li class="text-sm text-ink-muted">{detail.data ? 'No files stored yet.' : '…'}</li>}>
            {(file) => (
              <li class="rounded-xl border border-line px-3 py-2">
                <p class="truncate text-sm text-ink" title={file.path}>{file.path}</p>
                <p class="text-xs text-ink-subtle">{formatBytes(file.sizeBytes)} · stored {formatRelative(file.storedAt)}</p>
              </li>
            )}
          </For>
        </ul>
      </div>
    </div>
  );
}

/** One download: status, live progress, speed, ETA, cancel, and its timeline on demand. */
export function DownloadCard(props: { download: Download; onCancel: (d: Download) => void }) {
  const [open, setOpen] = createSignal(false);
  const d = () => props.download;
  // The API reports progress in percent (0–100), not as a fraction.
  const percent = () => (d().status === 'completed' ? 100 : Math.round(Math.max(0, Math.min(100, d().progress)) * 10) / 10);
  const active = () => isActive(d().status);
  const Icon = sourceIcon[d().sourceType] ?? Link;
  const title = () => downloadTitle(d());
  const quality = () => qualityLabel(d().release);
  const error = () => errorText(d());

  return (
    <li class="rounded-2xl border border-line bg-surface p-4 transition-colors hover:border-line-strong sm:p-5" data-status={d().status}>
      <div class="flex flex-wrap items-start gap-x-4 gap-y-2 sm:flex-nowrap">
        <Show
          when={d().media}
          fallback={
            <span class="mt-0.5 grid size-10 shrink-0 place-items-center rounded-xl bg-raised text-ink-muted">
              <Icon class="size-[18px]" strokeWidth={1.75} />
            </span>
          }
        >
          {(media) => (
            <A href={titleHref(media())} class="w-12 shrink-0 sm:w-14" aria-hidden="true" tabIndex={-1}>
              <Poster title={media()} class="rounded-lg" />
            </A>
          )}
        </Show>
        <div class="min-w-0 flex-1">
          <div class="flex flex-wrap items-center gap-x-3 gap-y-1">
            <p class="min-w-0 truncate font-medium text-ink" title={title()}>{title()}</p>
            <span class={`rounded-full border px-2.5 py-0.5 text-xs font-medium ${STATUS_TONE[d().status]}`}>
              {d().cancelRequested && active() ? 'Cancelling…' : STATUS_LABEL[d().status]}
            </span>
          </div>
          <Show when={quality()}>
            <p class="mt-1 text-xs text-ink-muted" data-testid="download-quality">{quality()}</p>
          </Show>
          <div
            class="mt-3 h-1.5 overflow-hidden rounded-full bg-raised"
            role="progressbar"
            aria-label={`${title()} progress`}
            aria-valuemin={0}
            aria-valuemax={100}
            aria-valuenow={percent()}
          >
            <div
              class="h-full rounded-full transition-[width] duration-700 ease-out-soft"
              classList={{
                'bg-linear-to-r from-accent to-[#8f5bff]': d().status !== 'failed' && d().status !== 'completed',
                'bg-ok': d().status === 'completed',
                'bg-danger/70': d().status === 'failed',
                'animate-shimmer': d().status === 'queued' || d().status === 'preparing',
              }}
              style={{ width: `${percent()}%` }}
            />
          </div>
          <p class="mt-2.5 flex flex-wrap gap-x-4 gap-y-1 text-xs tabular-nums text-ink-subtle">
            <span class="text-ink-muted">{percent()}%</span>
            <span>
              {formatBytes(d().bytesDone)}
              {d().bytesTotal ? ` of ${formatBytes(d().bytesTotal)}` : ''}
            </span>
            <Show when={active()}>
              <span>↓ {formatSpeed(d().speedBps)}</span>
              <span>ETA {d().etaSeconds != null ? formatDuration(d().etaSeconds) : '—'}</span>
              <Show when={d().peers != null}>
                <span>{d().peers} peers</span>
              </Show>
            </Show>
            <Show when={d().retryCount > 0}>
              <span>retry {d().retryCount}/3</span>
            </Show>
            <span>added {formatRelative(d().createdAt)}</span>
          </p>
          <Show when={d().status === 'queued' && d().queuedReason}>
            <p class="mt-2 text-sm text-ink-muted">{d().queuedReason}</p>
          </Show>
          <Show when={error()}>
            <p class="mt-2 text-sm" classList={{ 'text-danger': d().status === 'failed', 'text-warn': d().status !== 'failed' }}>
              {error()}
            </p>
          </Show>
        </div>
        <div class="flex w-full shrink-0 items-center justify-end gap-1 sm:w-auto">
          <Show when={isWatchable(d().status) && !d().cancelRequested}>
            <A
              href={watchDownloadHref(d().id)}
              class={buttonStyles.ghost}
              aria-label={`Play ${title()}`}
              title={active() ? 'Play while it downloads' : 'Play'}
            >
              <Play class="size-4" fill="currentColor" strokeWidth={1.5} />
              Play
            </A>
          </Show>
          <Show when={active() && !d().cancelRequested}>
            <button type="button" class={`${buttonStyles.ghost} hover:text-danger`} onClick={() => props.onCancel(d())}>
              Cancel
            </button>
          </Show>
          <button
            type="button"
            class={`${buttonStyles.icon} size-9`}
            aria-expanded={open()}
            aria-label={`${open() ? 'Hide' : 'Show'} details of ${title()}`}
            onClick={() => setOpen(!open())}
          >
            <ChevronDown class={`size-4 transition-transform duration-200 ${open() ? 'rotate-180' : ''}`} strokeWidth={1.75} />
          </button>
        </div>
      </div>
      <Show when={open()}>
        <Timeline id={d().id} active={active()} release={releaseName(d())} errorCode={d().errorCode} />
      </Show>
    </li>
  );
}
