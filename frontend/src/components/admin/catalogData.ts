import { postImdbImport, type ImdbImportStatus, type ImdbRun } from '../../api/admin';
import { toApiError } from '../../api/client';
import { showToast } from '../../stores/toasts';
import type { StatusTone } from '../ui/StatusDot';

/** Starts an import (202); one already running (409) is not an error worth more than a note. */
export async function startImdbImport(): Promise<boolean> {
  try {
    await postImdbImport();
    showToast({ tone: 'success', title: 'IMDb import started', body: 'Progress shows here as the files are read.' });
    return true;
  } catch (error) {
    const apiError = toApiError(error);
    if (apiError.status === 409) {
      showToast({ tone: 'info', title: 'An IMDb import is already running' });
      return true;
    }
    showToast({ tone: 'error', title: "Couldn't start the IMDb import", body: apiError.message });
    return false;
  }
}

const RUNNING = new Set(['running', 'queued', 'pending', 'started']);
export const isRunning = (run: ImdbRun | null | undefined) => !!run && RUNNING.has(run.status);

/** The run in progress: `current`, or a running one among the recent runs. */
export const activeRun = (status: ImdbImportStatus | undefined) =>
  status?.current && isRunning(status.current) ? status.current : status?.runs?.find(isRunning);

/** The files of a run in the API's order, named. */
export const runFiles = (run: ImdbRun) => Object.entries(run.files ?? {}).map(([file, stats]) => ({ file, ...stats }));

const RUN_STATUS: Record<string, { label: string; tone: StatusTone }> = {
  done: { label: 'Done', tone: 'ok' },
  skipped: { label: 'Unchanged', tone: 'ok' },
  partial: { label: 'Partial', tone: 'warn' },
  running: { label: 'Running', tone: 'pending' },
  queued: { label: 'Queued', tone: 'pending' },
  pending: { label: 'Queued', tone: 'pending' },
  started: { label: 'Running', tone: 'pending' },
  ok: { label: 'Succeeded', tone: 'ok' },
  succeeded: { label: 'Succeeded', tone: 'ok' },
  completed: { label: 'Succeeded', tone: 'ok' },
  failed: { label: 'Failed', tone: 'danger' },
  cancelled: { label: 'Cancelled', tone: 'warn' },
  interrupted: { label: 'Interrupted', tone: 'warn' },
};

export const runStatus = (status: string) => RUN_STATUS[status] ?? { label: status, tone: 'warn' as StatusTone };

/** A share as a whole percent, 0 when there is nothing to cover. */
export const percentOf = (part: number, whole: number) => (whole > 0 ? Math.round((part / whole) * 100) : 0);
