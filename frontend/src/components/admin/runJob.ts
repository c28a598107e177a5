import { runSyncJob, type SyncJob } from '../../api/admin';
import { toApiError } from '../../api/client';
import { showToast } from '../../stores/toasts';
import { formatMs, jobLabel, jobStatus } from './labels';

/**
 * Runs a scheduled job now and toasts its outcome. The API runs the job before
 * it answers, so callers keep their button pending until this resolves.
 * Resolves to the job's recorded state, or undefined when the request failed.
 */
export async function runJob(name: string): Promise<SyncJob | undefined> {
  try {
    const result = await runSyncJob(name);
    const failed = result.status === 'failed';
    showToast({
      tone: failed ? 'error' : 'success',
      title: `${jobLabel(name)}: ${jobStatus(result.status).label.toLowerCase()}`,
      body: failed ? (result.error ?? undefined) : `Took ${formatMs(result.durationMs)}`,
    });
    return result;
  } catch (error) {
    showToast({ tone: 'error', title: `Couldn't run ${jobLabel(name)}`, body: toApiError(error).message });
    return undefined;
  }
}
