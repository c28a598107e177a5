import ExternalLink from 'lucide-solid/icons/external-link';
import RefreshCw from 'lucide-solid/icons/refresh-cw';
import { createSignal, For, onCleanup, Show } from 'solid-js';
import { toApiError } from '../../api/client';
import { type CollectionSource, collectionKeys, isSyncing, syncCollection } from '../../api/collections';
import { queryClient } from '../../api/queryClient';
import { formatRelative } from '../../lib/format';
import { showToast } from '../../stores/toasts';
import { buttonStyles } from '../ui/button';

const SERVICES: Record<CollectionSource['kind'], { name: string; mark: string; tone: string }> = {
  trakt: { name: 'Trakt', mark: 'T', tone: 'bg-[#ed1c24]' },
  letterboxd: { name: 'Letterboxd', mark: 'L', tone: 'bg-[#00b020]' },
  imdb: { name: 'IMDb', mark: 'I', tone: 'bg-[#c59d00]' },
};
const POLL_MS = 2_000;

/** A small mark of the list service an imported collection mirrors (the collections list uses it). */
export function SourceMark(props: { kind: CollectionSource['kind'] }) {
  const service = () => SERVICES[props.kind];
  return (
    <span
      class={`inline-grid size-4 place-items-center rounded text-[0.6rem] font-bold text-white ${service().tone}`}
      title={`Imported from ${service().name}`}
      aria-label={`Imported from ${service().name}`}
    >
      {service().mark}
    </span>
  );
}

/** An imported collection's source: where the list lives, when it was synced, "Sync now", and what did not match.
 * A one-off import from an export file that names no list has no link and no "Sync now".
 * While a sync waits or runs it re-reads the collection every two seconds. */
export function CollectionSourceBar(props: { collectionId: string; source: CollectionSource }) {
  const [asking, setAsking] = createSignal(false);
  const service = () => SERVICES[props.source.kind];
  const refresh = () => {
    void queryClient.invalidateQueries({ queryKey: collectionKeys.detail(props.collectionId) });
    void queryClient.invalidateQueries({ queryKey: collectionKeys.items(props.collectionId) });
    void queryClient.invalidateQueries({ queryKey: collectionKeys.list });
  };
  const timer = setInterval(() => {
    if (isSyncing(props.source)) refresh();
  }, POLL_MS);
  onCleanup(() => clearInterval(timer));

  const syncNow = async () => {
    setAsking(true);
    try {
      await syncCollection(props.collectionId);
      refresh();
    } catch (error) {
      showToast({ tone: 'error', title: "Couldn't sync the list", body: toApiError(error).message });
    } finally {
      setAsking(false);
    }
  };

  return (
    <section aria-label="List source" class="mb-8 rounded-2xl border border-line bg-raised p-4 text-sm">
      <div class="flex flex-wrap items-center gap-x-4 gap-y-2">
        <SourceMark kind={props.source.kind} />
        <Show
          when={props.source.url}
          fallback={
            <span class="font-medium text-ink" data-testid="source-file">
              {service().name} export file{props.source.filename ? ` (${props.source.filename})` : ''}
            </span>
          }
        >
          {(url) => (
            <a href={url()} target="_blank" rel="noopener noreferrer" class="inline-flex items-center gap-1 font-medium text-ink hover:underline">
              {service().name} list <ExternalLink class="size-3.5" strokeWidth={1.75} />
            </a>
          )}
        </Show>
        <span class="text-ink-muted" data-testid="source-status">
          <Show when={!isSyncing(props.source)} fallback="Syncing…">
            {props.source.syncedAt ? `Synced ${formatRelative(props.source.syncedAt)}` : 'Not synced yet'}
          </Show>
        </span>
        <Show when={props.source.unmatched > 0}>
          <span class="text-ink-muted">{props.source.unmatched} not matched</span>
        </Show>
        <Show
          when={props.source.url}
          fallback={<span class="ml-auto text-ink-muted">Imported once: upload a newer export to update it</span>}
        >
          <button type="button" class={`${buttonStyles.ghost} ml-auto`} disabled={asking() || isSyncing(props.source)} onClick={() => void syncNow()}>
            <RefreshCw class={`size-4 ${isSyncing(props.source) ? 'animate-spin' : ''}`} strokeWidth={1.75} /> Sync now
          </button>
        </Show>
      </div>
      <Show when={props.source.status === 'failed' && props.source.error}>
        <p role="alert" class="mt-3 rounded-xl border border-danger/30 bg-danger/5 p-3 text-ink">
          The last sync failed: {props.source.error}
        </p>
      </Show>
      <Show when={props.source.unmatchedTitles.length > 0}>
        <details class="mt-3 text-ink-muted">
          <summary class="cursor-pointer">Titles of the list not in the catalog</summary>
          <ul class="mt-2 list-disc pl-5">
            <For each={props.source.unmatchedTitles}>{(title) => <li>{title}</li>}</For>
          </ul>
        </details>
      </Show>
    </section>
  );
}
