import RefreshCw from 'lucide-solid/icons/refresh-cw';
import { createEffect, createSignal, on, Show } from 'solid-js';
import type { QueryState } from '@tanstack/solid-query';
import { toApiError, type ApiError } from '../../api/client';
import { fetchScan, libraryKeys, requestRescan } from '../../api/library';
import { createApiQuery, pollEvery, setQueryData } from '../../api/queryClient';
import type { components } from '../../api/schema';
import { showToast } from '../../stores/toasts';
import { buttonStyles } from '../ui/button';

type Scan = components['schemas']['Scan'];

export const SCAN_POLL_MS = 2000;

const isDone = (scan: Scan) => scan.status === 'completed' || scan.status === 'failed';

/** "3 paths" or "every library root" (an accepted count of 0 means all roots). */
function scope(scan: Scan): string {
  return scan.acceptedCount > 0 ? `${scan.acceptedCount} path${scan.acceptedCount === 1 ? '' : 's'}` : 'every library root';
}

function scanStatus(scan: Scan): string {
  const files = `${scan.indexedCount} file${scan.indexedCount === 1 ? '' : 's'} indexed`;
  if (scan.status === 'failed') return `Scan failed${scan.error ? `: ${scan.error}` : ''}`;
  if (scan.status === 'completed') return `Scan finished · ${files}`;
  if (scan.status === 'running') return `Scanning ${scope(scan)} · ${files}`;
  return `Scan of ${scope(scan)} requested · waiting for the worker`;
}

/** Admins: ask the worker to rescan, then follow the scan until it ends (and reload the library). */
export function RescanControl(props: { onFinished: () => void }) {
  const [scanId, setScanId] = createSignal<string>();
  const [sending, setSending] = createSignal(false);
  const poll = pollEvery(SCAN_POLL_MS);
  const scan = createApiQuery(() => {
    const id = scanId();
    return {
      queryKey: libraryKeys.scan(id ?? ''),
      queryFn: () => fetchScan(id!),
      enabled: id !== undefined,
      refetchInterval: (query: { state: QueryState<Scan, ApiError> }) => (query.state.data && isDone(query.state.data) ? false : poll(query)),
    };
  });
  createEffect(on(() => scan.data, (current) => current && current.id === scanId() && isDone(current) && props.onFinished(), { defer: true }));

  const start = async () => {
    setSending(true);
    try {
      const accepted = await requestRescan();
      setQueryData<Scan>(libraryKeys.scan(accepted.id), () => accepted);
      setScanId(accepted.id);
    } catch (error) {
      showToast({ tone: 'error', title: "Couldn't start a rescan", body: toApiError(error).message });
    } finally {
      setSending(false);
    }
  };
  const running = () => sending() || Boolean(scan.data && !isDone(scan.data));

  return (
    <div class="flex flex-col items-start gap-2 sm:items-end">
      <button type="button" class={buttonStyles.secondary} disabled={running()} onClick={() => void start()}>
        <RefreshCw class="size-4" classList={{ 'animate-spin': running() }} strokeWidth={1.75} />
        Rescan library
      </button>
      <p role="status" class="min-h-4 text-xs text-ink-subtle">
        <Show when={scanId() ? scan.data : undefined}>{(current) => <>{scanStatus(current())}</>}</Show>
        <Show when={scan.error}>{(error) => <> ({error().message})</>}</Show>
      </p>
    </div>
  );
}
