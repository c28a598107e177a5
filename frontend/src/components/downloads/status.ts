import type { DownloadStatus } from '../../api/types';

export const ACTIVE_STATUSES: readonly DownloadStatus[] = ['queued', 'preparing', 'downloading', 'stalled', 'retrying'];
export const isActive = (status: DownloadStatus) => ACTIVE_STATUSES.includes(status);
/** A job whose file can be watched now: while it runs (streamed by the worker) or once stored. */
export const isWatchable = (status: DownloadStatus) => isActive(status) || status === 'completed';
/**
 * The player for a download's file: `file` by index, or the file holding `season`/`episode` (a pack picked
 * for one episode), else the server's default (the largest video).
 */
export function watchDownloadHref(jobId: string, at: { file?: number; season?: number | null; episode?: number | null } = {}): string {
  const query = new URLSearchParams();
  if (at.file != null) query.set('file', String(at.file));
  else if (at.season != null && at.episode != null) {
    query.set('season', String(at.season));
    query.set('episode', String(at.episode));
  }
  const search = query.toString();
  return `/app/watch/download/${jobId}${search ? `?${search}` : ''}`;
}

export const STATUS_LABEL: Record<DownloadStatus, string> = {
  queued: 'Queued',
  preparing: 'Preparing',
  downloading: 'Downloading',
  stalled: 'Stalled',
  retrying: 'Retrying',
  completed: 'Completed',
  failed: 'Failed',
  cancelled: 'Cancelled',
};

export const STATUS_TONE: Record<DownloadStatus, string> = {
  queued: 'text-ink-muted border-line-strong',
  preparing: 'text-accent-ink border-accent/30',
  downloading: 'text-accent-ink border-accent/40 bg-accent-soft',
  stalled: 'text-warn border-warn/40',
  retrying: 'text-warn border-warn/40',
  completed: 'text-ok border-ok/40 bg-ok/10',
  failed: 'text-danger border-danger/40 bg-danger/10',
  cancelled: 'text-ink-subtle border-line',
};

/** How often the list refreshes while something is in flight. */
export const POLL_MS = 2500;
