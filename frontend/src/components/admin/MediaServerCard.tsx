import { useQueryClient, type QueryState } from '@tanstack/solid-query';
import RefreshCw from 'lucide-solid/icons/refresh-cw';
import { createEffect, createSignal, on, Show } from 'solid-js';
import { toApiError, type ApiError } from '../../api/client';
import {
  fetchMediaServerSync,
  mediaServerKeys,
  startMediaServerSync,
  testMediaServer,
  type MediaServer,
  type MediaServerSync,
} from '../../api/mediaServers';
import { createApiQuery, pollEvery } from '../../api/queryClient';
import { formatRelative } from '../../lib/format';
import { showToast } from '../../stores/toasts';
import { ServerLogo, serverKindName } from '../mediaservers/ServerLogo';
import { buttonStyles } from '../ui/button';
import { StatusDot } from '../ui/StatusDot';
import { countsLine, isSyncActive, newerSync } from './mediaServers';
import { createTestRun, TestOutcome } from './TestOutcome';

const SYNC_POLL_MS = 1500;

/** "Living Room · Jellyfin 10.9.11": who the server said it is on the last contact. */
const remoteLine = (server: MediaServer) =>
  server.remoteName || server.remoteVersion
    ? [server.remoteName, server.remoteVersion && `${serverKindName[server.kind]} ${server.remoteVersion}`].filter(Boolean).join(' · ')
    : undefined;

/** The last (or current) sync: its state, when, what it changed and, when it failed, why. */
function SyncSummary(props: { sync: MediaServerSync | undefined; syncing: boolean }) {
  const headline = () => {
    const sync = props.sync;
    if (props.syncing) return 'Syncing…';
    if (!sync) return 'Never synced';
    const how = sync.trigger === 'schedule' ? ' · on schedule' : '';
    const when = formatRelative(sync.finishedAt ?? sync.requestedAt);
    return sync.status === 'failed' ? `Sync failed ${when}${how}` : `Synced ${when}${how}`;
  };
  const tone = () => (props.syncing ? 'pending' : props.sync?.status === 'failed' ? 'danger' : props.sync ? 'ok' : 'warn');
  return (
    <div role="status" aria-label="Last sync" class="mt-4 rounded-xl border border-line bg-raised/60 px-4 py-3 text-sm">
      <p class="flex items-center gap-2 text-ink">
        <StatusDot tone={tone()} pulse={props.syncing} />
        {headline()}
      </p>
      {/* While running the counts grow; once finished they are the sync's result. */}
      <Show when={(props.syncing ? props.sync?.status === 'running' : true) && props.sync}>
        {(sync) => <p class="mt-1 text-xs tabular-nums text-ink-muted">{countsLine(sync().counts)}</p>}
      </Show>
      <Show when={!props.syncing && props.sync?.status === 'failed' && props.sync.error}>
        <p class="mt-1 text-xs text-danger">{props.sync!.error}</p>
      </Show>
    </div>
  );
}

/**
 * Follows a server's sync: the one this card started, or one the list says is waiting or running.
 * Polls while it is active, and reloads the server list once it ends.
 */
function createSyncFollower(server: () => MediaServer) {
  const client = useQueryClient();
  const [started, setStarted] = createSignal<string>(); // the id of the sync "Sync now" started
  const [starting, setStarting] = createSignal(false);
  const poll = pollEvery(SYNC_POLL_MS);
  const followed = (sync: MediaServerSync | undefined) => !!sync && (sync.id === started() || (sync.id === server().lastSync?.id && isSyncActive(server().lastSync)));
  const sync = createApiQuery(() => {
    const id = server().id;
    return {
      queryKey: mediaServerKeys.sync(id),
      queryFn: () => fetchMediaServerSync(id),
      enabled: started() !== undefined || isSyncActive(server().lastSync),
      refetchInterval: (query: { state: QueryState<MediaServerSync, ApiError> }) => {
        const data = query.state.data;
        return data && !isSyncActive(data) && (started() === undefined || data.id === started()) ? false : poll(query);
      },
    };
  });
  createEffect(
    on(() => sync.data, (data) => {
      if (!data || isSyncActive(data) || !followed(data)) return;
      if (data.id === started()) {
        setStarted(undefined);
        if (data.status === 'failed') showToast({ tone: 'error', title: `${server().name} didn't sync`, body: data.error ?? undefined });
        else showToast({ tone: 'success', title: `${server().name} synced`, body: countsLine(data.counts) });
      }
      void client.invalidateQueries({ queryKey: mediaServerKeys.list() });
    }),
  );

  const start = async () => {
    setStarting(true);
    try {
      const { syncId } = await startMediaServerSync(server().id);
      setStarted(syncId);
    } catch (error) {
      showToast({ tone: 'error', title: `Couldn't sync ${server().name}`, body: toApiError(error).message });
    } finally {
      setStarting(false);
    }
  };
  // The polled sync once it is the one started (an earlier answer may still be cached), else the listed one.
  const latest = () => {
    const polled = sync.data && (started() === undefined || sync.data.id === started()) ? sync.data : undefined;
    return newerSync(polled, server().lastSync);
  };
  const syncing = () => starting() || (started() !== undefined && latest()?.id !== started()) || isSyncActive(latest());
  return { start, latest, syncing };
}

export function MediaServerCard(props: { server: MediaServer; onTested: (server: MediaServer) => void; onEdit: () => void; onRemove: () => void }) {
  const s = () => props.server;
  const { testing, result, test } = createTestRun(() => testMediaServer(s().id), props.onTested);
  const sync = createSyncFollower(s);
  return (
    <li aria-label={s().name} class="rounded-2xl border border-line bg-surface p-5 transition-colors hover:border-line-strong">
      <div class="flex flex-wrap items-start gap-4">
        <div class="grid size-12 shrink-0 place-items-center rounded-xl border border-line-strong bg-raised shadow-float">
          <ServerLogo kind={s().kind} class="size-6" />
        </div>
        <div class="min-w-0 flex-1">
          <p class="flex flex-wrap items-center gap-x-2 gap-y-1">
            <span class="font-medium text-ink">{s().name}</span>
            <span class="rounded-full border border-line px-2 py-0.5 text-xs text-ink-muted">{serverKindName[s().kind]}</span>
          </p>
          <p class="mt-1 break-all font-mono text-xs text-ink-muted">{s().url}</p>
          <p class="mt-1.5 text-xs text-ink-subtle">
            {remoteLine(s()) ?? 'Not reached yet: Test it'}
            {s().allowPrivate ? ' · home network' : ''}
          </p>
        </div>
        <p class="flex items-center gap-2 text-xs text-ink-muted">
          <StatusDot tone={s().enabled ? 'ok' : 'warn'} />
          {s().enabled ? 'Syncs every 6 hours' : 'Manual sync only'}
        </p>
      </div>
      <SyncSummary sync={sync.latest()} syncing={sync.syncing()} />
      <Show when={result()}>
        {(r) => <TestOutcome result={r()}>{(tested) => <p class="text-ok">Connected to {remoteLine(tested) ?? tested.name}</p>}</TestOutcome>}
      </Show>
      <div class="mt-4 flex flex-wrap gap-2">
        <button type="button" class={buttonStyles.secondary} disabled={testing()} aria-label={`Test ${s().name}`} onClick={() => void test()}>{testing() ? 'Testing…' : 'Test'}</button>
        <button type="button" class={buttonStyles.secondary} disabled={sync.syncing()} aria-label={`Sync ${s().name} now`} onClick={() => void sync.start()}>
          <RefreshCw class="size-4" classList={{ 'animate-spin': sync.syncing() }} strokeWidth={1.75} />
          {sync.syncing() ? 'Syncing…' : 'Sync now'}
        </button>
        <span class="flex-1" />
        <button type="button" class={buttonStyles.ghost} aria-label={`Edit ${s().name}`} onClick={() => props.onEdit()}>Edit</button>
        <button type="button" class={`${buttonStyles.ghost} hover:text-danger`} aria-label={`Remove ${s().name}`} onClick={() => props.onRemove()}>Remove</button>
      </div>
    </li>
  );
}
