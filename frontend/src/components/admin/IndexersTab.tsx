import Radar from 'lucide-solid/icons/radar';
import { createEffect, createSignal, For, Match, Show, Switch } from 'solid-js';
import { createStore, reconcile } from 'solid-js/store';
import { toApiError } from '../../api/client';
import type { Indexer, IndexerInput } from '../../api/types';
import { formatRelative } from '../../lib/format';
import { optimistic } from '../../lib/optimistic';
import { createQuery } from '../../lib/query';
import { showToast } from '../../stores/toasts';
import { buttonStyles } from '../ui/button';
import { EmptyState } from '../ui/EmptyState';
import { QueryView } from '../ui/QueryView';
import { ListSkeleton } from '../ui/Skeleton';
import { StatusDot } from '../ui/StatusDot';
import { IndexerForm } from './IndexerForm';
import { capsLines, createIndexer, deleteIndexer, listIndexers, testIndexer, updateIndexer } from './indexers';

type TestResult = { ok: true; lines: string[] } | { ok: false; message: string };

/** The outcome of "Test": what the indexer's caps say it supports, or why it could not be read. */
function TestOutcome(props: { result: TestResult }) {
  return (
    <Switch>
      <Match when={props.result.ok && props.result}>
        {(ok) => (
          <div role="status" class="mt-4 rounded-xl border border-ok/30 bg-ok/10 px-3.5 py-3 text-sm">
            <p class="font-medium text-ok">Indexer answered</p>
            <ul class="mt-1.5 space-y-0.5 text-xs text-ink-muted">
              <For each={ok().lines} fallback={<li>It sent no capabilities.</li>}>{(line) => <li>{line}</li>}</For>
            </ul>
          </div>
        )}
      </Match>
      <Match when={!props.result.ok && props.result}>
        {(failed) => <p role="alert" class="mt-4 rounded-xl border border-danger/30 bg-danger/10 px-3.5 py-3 text-sm text-danger">{failed().message}</p>}
      </Match>
    </Switch>
  );
}

function IndexerRow(props: { indexer: Indexer; onTested: (indexer: Indexer) => void; onEdit: () => void; onDelete: () => void }) {
  const i = () => props.indexer;
  const [testing, setTesting] = createSignal(false);
  const [result, setResult] = createSignal<TestResult>();
  const test = async () => {
    setTesting(true);
    try {
      const tested = await testIndexer(i().id);
      setResult({ ok: true, lines: capsLines(tested.caps) });
      props.onTested(tested);
    } catch (error) {
      setResult({ ok: false, message: toApiError(error).message });
    } finally {
      setTesting(false);
    }
  };
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
      <Show when={result()}>{(r) => <TestOutcome result={r()} />}</Show>
    </li>
  );
}

/** Torznab indexers (Prowlarr, Jackett) that "Get" searches: add, edit, test, delete. */
export function IndexersTab() {
  const indexers = createQuery(() => true, listIndexers);
  const [editing, setEditing] = createSignal<string>(); // an indexer id, or 'new'
  // Rows keep their DOM (a test's outcome, the focus) when an indexer is saved or tested: matched by id.
  // The store gets a copy: reconcile writes into the objects it holds, and a rollback needs the originals.
  const [rows, setRows] = createStore<Indexer[]>([]);
  createEffect(() => setRows(reconcile(structuredClone(indexers.data() ?? []), { key: 'id' })));

  const replace = (saved: Indexer) => indexers.mutate((list) => list?.map((i) => (i.id === saved.id ? saved : i)));
  const create = async (body: IndexerInput) => {
    const saved = await createIndexer(body);
    indexers.mutate((list) => [...(list ?? []), saved]);
    setEditing(undefined);
    showToast({ tone: 'success', title: 'Indexer added', body: saved.name });
  };
  const update = async (id: string, body: IndexerInput) => {
    replace(await updateIndexer(id, body));
    setEditing(undefined);
    showToast({ tone: 'success', title: 'Indexer saved', body: body.name });
  };
  const remove = (indexer: Indexer) => {
    const before = indexers.data();
    void optimistic({
      apply: () => indexers.mutate((list) => list?.filter((i) => i.id !== indexer.id)),
      commit: () => deleteIndexer(indexer.id),
      rollback: () => indexers.mutate(() => before),
      failure: `Couldn't delete ${indexer.name}`,
    });
  };

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
        {(list) => (
          <ul aria-label="Indexers" class="flex flex-col gap-3">
            <For each={list().length ? rows : []}>
              {(indexer) => (
                <Show when={editing() === indexer.id} fallback={<IndexerRow indexer={indexer} onTested={replace} onEdit={() => setEditing(indexer.id)} onDelete={() => remove(indexer)} />}>
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
