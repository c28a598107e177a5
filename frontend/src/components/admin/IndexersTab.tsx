import Radar from 'lucide-solid/icons/radar';
import { createSignal, For, Show } from 'solid-js';
import { adminKeys, createIndexer, deleteIndexer, listIndexers, testIndexer, updateIndexer } from '../../api/admin';
import { createApiQuery } from '../../api/queryClient';
import type { Indexer, IndexerInput } from '../../api/types';
import { formatRelative } from '../../lib/format';
import { showToast } from '../../stores/toasts';
import { buttonStyles } from '../ui/button';
import { EmptyState } from '../ui/EmptyState';
import { QueryView } from '../ui/QueryView';
import { ListSkeleton } from '../ui/Skeleton';
import { StatusDot } from '../ui/StatusDot';
import { createEditableList } from './editableList';
import { IndexerForm } from './IndexerForm';
import { capsLines } from './indexers';
import { createTestRun, TestOutcome } from './TestOutcome';

function IndexerRow(props: { indexer: Indexer; onTested: (indexer: Indexer) => void; onEdit: () => void; onDelete: () => void }) {
  const i = () => props.indexer;
  const { testing, result, test } = createTestRun(() => testIndexer(i().id), props.onTested);
  return (
    <li aria-label={i().name} class="rounded-2xl border border-line bg-surface p-5">
      <div class="flex flex-wrap items-start justify-between gap-4">
        <div class="min-w-0">
          <p class="flex items-center gap-2 font-medium text-ink">
            <StatusDot tone={i().enabled ? 'ok' : 'warn'} />
            {i().name}
            <span class="text-xs font-normal text-ink-subtle">{i().enabled ? 'Enabled' : 'Disabled'}</span>
          </p>
          <p class="mt-1 break-all font-mono text-xs text-ink-muted">{i().url}</p>
          <p class="mt-2 text-xs text-ink-subtle">
            {i().apiKeySet ? 'API key stored' : 'No API key'} · {i().categories.length ? `categories ${i().categories.join(', ')}` : 'default categories'}
            {i().capsCheckedAt ? ` · tested ${formatRelative(i().capsCheckedAt)}` : ' · never tested'}
          </p>
        </div>
        <div class="flex gap-2">
          <button type="button" class={buttonStyles.secondary} disabled={testing()} aria-label={`Test ${i().name}`} onClick={() => void test()}>{testing() ? 'Testing…' : 'Test'}</button>
          <button type="button" class={buttonStyles.ghost} aria-label={`Edit ${i().name}`} onClick={() => props.onEdit()}>Edit</button>
          <button type="button" class={`${buttonStyles.ghost} hover:text-danger`} aria-label={`Delete ${i().name}`} onClick={() => props.onDelete()}>Delete</button>
        </div>
      </div>
      <Show when={result()}>
        {(r) => (
          <TestOutcome result={r()}>
            {(tested) => (
              <>
                <p class="font-medium text-ok">Indexer answered</p>
                <ul class="mt-1.5 space-y-0.5 text-xs text-ink-muted">
                  <For each={capsLines(tested.caps)} fallback={<li>It sent no capabilities.</li>}>{(line) => <li>{line}</li>}</For>
                </ul>
              </>
            )}
          </TestOutcome>
        )}
      </Show>
    </li>
  );
}

/** Torznab indexers (Prowlarr, Jackett) that "Get" searches: add, edit, test, delete. */
export function IndexersTab() {
  const indexers = createApiQuery(() => ({ queryKey: adminKeys.indexers(), queryFn: listIndexers }));
  const list = createEditableList(indexers, adminKeys.indexers());
  const [editing, setEditing] = createSignal<string>(); // an indexer id, or 'new'

  const create = async (body: IndexerInput) => {
    const saved = await createIndexer(body);
    list.add(saved);
    setEditing(undefined);
    showToast({ tone: 'success', title: 'Indexer added', body: saved.name });
  };
  const update = async (id: string, body: IndexerInput) => {
    list.replace(await updateIndexer(id, body));
    setEditing(undefined);
    showToast({ tone: 'success', title: 'Indexer saved', body: body.name });
  };
  const remove = (indexer: Indexer) => void list.remove(indexer, () => deleteIndexer(indexer.id), `Couldn't delete ${indexer.name}`);

  return (
    <div class="flex flex-col gap-4">
      <div class="flex flex-wrap items-center justify-between gap-4">
        <p class="max-w-2xl text-sm text-ink-muted">Torznab endpoints from Prowlarr or Jackett. “Get” searches every enabled indexer at once; addresses on your home network are allowed.</p>
        <Show when={editing() !== 'new'}>
          <button type="button" class={buttonStyles.primary} onClick={() => setEditing('new')}>Add indexer</button>
        </Show>
      </div>
      <Show when={editing() === 'new'}>
        <IndexerForm onSave={create} onCancel={() => setEditing(undefined)} />
      </Show>
      <QueryView
        query={indexers}
        loading={<ListSkeleton rows={2} label="Loading indexers…" />}
        isEmpty={(list) => list.length === 0}
        errorTitle="Couldn't load the indexers"
        empty={<EmptyState icon={Radar} level={3} title="No indexers yet" body="Add a Prowlarr or Jackett Torznab URL with its API key; then Get on a movie or an episode lists its releases." />}
      >
        {(loaded) => (
          <ul aria-label="Indexers" class="flex flex-col gap-3">
            <For each={loaded().length ? list.rows : []}>
              {(indexer) => (
                <Show when={editing() === indexer.id} fallback={<IndexerRow indexer={indexer} onTested={list.replace} onEdit={() => setEditing(indexer.id)} onDelete={() => remove(indexer)} />}>
                  <li><IndexerForm indexer={indexer} onSave={(body) => update(indexer.id, body)} onCancel={() => setEditing(undefined)} /></li>
                </Show>
              )}
            </For>
          </ul>
        )}
      </QueryView>
    </div>
  );
}
