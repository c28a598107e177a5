import HardDrive from 'lucide-solid/icons/hard-drive';
import Inbox from 'lucide-solid/icons/inbox';
import { createSignal, For } from 'solid-js';
import { adminKeys, fetchQueues, fetchStorage } from '../../api/admin';
import type { components } from '../../api/schema';
import { createApiQuery, pollEvery } from '../../api/queryClient';
import { formatBytes } from '../../lib/format';
import { EmptyState } from '../ui/EmptyState';
import { Section } from '../ui/Page';
import { QueryView } from '../ui/QueryView';
import { ListSkeleton } from '../ui/Skeleton';
import { StatusDot } from '../ui/StatusDot';
import { buttonStyles } from '../ui/button';
import { mediaLabel, queueLabel } from './labels';
import { runJob } from './runJob';

type Queue = components['schemas']['QueueOut'];
type Storage = components['schemas']['StorageList'];
const POLL_MS = 15_000;

function Count(props: { label: string; value: number; warn?: boolean }) {
  return (
    <div>
      <dt class="text-xs text-ink-subtle">{props.label}</dt>
      <dd class="mt-0.5 text-xl font-medium tabular-nums" classList={{ 'text-danger': props.warn, 'text-ink': !props.warn }}>
        {props.value.toLocaleString()}
      </dd>
    </div>
  );
}

function QueueCard(props: { queue: Queue }) {
  const q = () => props.queue;
  return (
    <li class="rounded-2xl border border-line bg-surface p-5" aria-label={queueLabel(q().name)}>
      <div class="flex items-center justify-between gap-3">
        <p class="font-medium text-ink">{queueLabel(q().name)}</p>
        <span class="inline-flex items-center gap-2 text-xs text-ink-muted">
          <StatusDot tone={q().deadLetters > 0 ? 'danger' : 'ok'} />
          {q().deadLetters > 0 ? 'Dead letters waiting' : 'Healthy'}
        </span>
      </div>
      <p class="mt-0.5 font-mono text-xs text-ink-subtle">{q().name}</p>
      <dl class="mt-4 grid grid-cols-3 gap-4">
        <Count label="Waiting" value={q().visible} />
        <Count label="In flight" value={q().inFlight} />
        <Count label="Dead letters" value={q().deadLetters} warn={q().deadLetters > 0} />
      </dl>
    </li>
  );
}

function StorageBreakdown(props: { storage: Storage }) {
  const share = (bytes: number) => (props.storage.totalBytes ? (bytes / props.storage.totalBytes) * 100 : 0);
  return (
    <div class="rounded-2xl border border-line bg-surface p-5">
      <p class="text-sm text-ink-muted">
        <span class="text-2xl font-medium tabular-nums text-ink">{formatBytes(props.storage.totalBytes)}</span> in the library
      </p>
      <ul class="mt-5 flex flex-col gap-4" aria-label="Storage by media type">
        <For each={props.storage.items}>
          {(row) => (
            <li aria-label={mediaLabel(row.mediaType)}>
              <div class="flex items-baseline justify-between gap-3 text-sm">
                <span class="text-ink">{mediaLabel(row.mediaType)}</span>
                <span class="tabular-nums text-ink-muted">
                  {formatBytes(row.bytes)} · {row.files.toLocaleString()} file{row.files === 1 ? '' : 's'}
                </span>
              </div>
              <div class="mt-2 h-1.5 overflow-hidden rounded-full bg-raised" aria-hidden="true">
                <div class="h-full rounded-full bg-linear-to-r from-accent to-secondary" style={{ width: `${share(row.bytes)}%` }} />
              </div>
            </li>
          )}
        </For>
      </ul>
    </div>
  );
}

/** Queue depths with dead-letter counts, and library storage per media type. */
export function QueuesStorageTab() {
  const queues = createApiQuery(() => ({ queryKey: adminKeys.queues(), queryFn: fetchQueues, refetchInterval: pollEvery(POLL_MS) }));
  const storage = createApiQuery(() => ({ queryKey: adminKeys.storage(), queryFn: fetchStorage }));
  const [cleaning, setCleaning] = createSignal(false);
  // Cleanup prunes old sessions, download events, snapshots, telemetry and orphaned bucket objects; then storage is re-measured.
  const cleanup = async () => {
    setCleaning(true);
    if (await runJob('cleanup.daily')) await storage.refetch();
    setCleaning(false);
  };
  return (
    <div class="flex flex-col gap-12">
      <Section id="queues" title="Queues">
        <QueryView
          query={queues}
          loading={<ListSkeleton rows={2} label="Loading queues…" />}
          isEmpty={(items) => items.length === 0}
          errorTitle="Couldn't read the queues"
          empty={<EmptyState icon={Inbox} level={3} title="No queues configured" body="The API has no SQS queues in its settings." />}
        >
          {(items) => (
            <ul class="grid gap-3 lg:grid-cols-2" aria-label="Queues">
              <For each={items()}>{(queue) => <QueueCard queue={queue} />}</For>
            </ul>
          )}
        </QueryView>
      </Section>
      <Section
        id="storage"
        title="Storage"
        aside={
          <button type="button" class={buttonStyles.secondary} disabled={cleaning()} onClick={() => void cleanup()}>
            {cleaning() ? 'Cleaning up…' : 'Run cleanup now'}
          </button>
        }
      >
        <QueryView
          query={storage}
          loading={<ListSkeleton rows={3} label="Loading storage…" />}
          isEmpty={(s) => s.items.length === 0}
          errorTitle="Couldn't measure the library"
          empty={<EmptyState icon={HardDrive} level={3} title="The library is empty" body="Finished downloads and scanned folders show up here by media type." />}
        >
          {(s) => <StorageBreakdown storage={s()} />}
        </QueryView>
      </Section>
    </div>
  );
}
