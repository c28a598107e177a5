import { A, useNavigate } from '@solidjs/router';
import Import from 'lucide-solid/icons/import';
import Layers from 'lucide-solid/icons/layers';
import Plus from 'lucide-solid/icons/plus';
import { createSignal, Show } from 'solid-js';
import { unwrap } from 'solid-js/store';
import { collectionKeys, createCollection, fetchCollections, importList, reorderCollections } from '../api/collections';
import { createApiQuery, setQueryData } from '../api/queryClient';
import type { CollectionOut } from '../api/types';
import { CollectionForm } from '../components/collections/CollectionForm';
import { SourceMark } from '../components/collections/CollectionSourceBar';
import { ImportListForm } from '../components/collections/ImportListForm';
import { buttonStyles } from '../components/ui/button';
import { EmptyState } from '../components/ui/EmptyState';
import { Page } from '../components/ui/Page';
import { QueryView } from '../components/ui/QueryView';
import { ReorderList } from '../components/ui/ReorderList';
import { ListSkeleton } from '../components/ui/Skeleton';
import { formatRelative } from '../lib/format';
import { optimistic } from '../lib/optimistic';
import { placeholderArt } from '../lib/placeholder';
import { showToast } from '../stores/toasts';

export default function CollectionsPage() {
  const list = createApiQuery(() => ({ queryKey: collectionKeys.list, queryFn: fetchCollections }));
  const show = (update: (items: CollectionOut[] | undefined) => CollectionOut[] | undefined) => setQueryData(collectionKeys.list, update);
  const [creating, setCreating] = createSignal(false);
  const [importing, setImporting] = createSignal(false);
  const navigate = useNavigate();

  const reorder = (next: CollectionOut[], moved: CollectionOut) => {
    const before = list.data === undefined ? [] : unwrap(list.data);
    void optimistic({
      apply: () => show(() => next),
      commit: () => reorderCollections(next.map((c) => c.id)),
      rollback: () => show(() => before),
      failure: `Couldn't move “${moved.name}”`,
    });
  };

  const create = async (values: { name: string; description: string | null }) => {
    const created = await createCollection(values);
    show((items) => [...(items ?? []), created]);
    showToast({ tone: 'success', title: 'Collection created', body: created.name });
  };

  const importUrl = async (url: string) => {
    const started = await importList(url);
    showToast({ tone: 'success', title: 'Importing the list', body: 'The collection fills in a moment.' });
    navigate(`/app/collections/${started.collectionId}`);
  };

  return (
    <Page
      title="Collections"
      description="Your own shelves: any mix of movies, shows and games, in the order you choose."
      actions={
        <div class="flex gap-2">
          <button type="button" class={buttonStyles.secondary} onClick={() => setImporting(true)}>
            <Import class="size-4" strokeWidth={1.75} />
            Import a list
          </button>
          <button type="button" class={buttonStyles.primary} onClick={() => setCreating(true)}>
            <Plus class="size-4" strokeWidth={2} />
            New collection
          </button>
        </div>
      }
    >
      <QueryView
        query={list}
        loading={<ListSkeleton rows={4} label="Loading collections…" />}
        isEmpty={(items) => items.length === 0}
        empty={
          <EmptyState
            icon={Layers}
            title="No collections yet"
            body="Group titles your way — “Comfort rewatches”, “Best of A24”, “Co-op nights”."
            action={<button type="button" class={buttonStyles.secondary} onClick={() => setCreating(true)}>Create your first</button>}
          />
        }
      >
        {(items) => (
          <ReorderList items={items()} label="Collections" itemLabel={(c) => c.name} onReorder={reorder}>
            {(collection) => (
              <A href={`/app/collections/${collection.id}`} class="flex min-w-0 items-center gap-4 rounded-xl">
                <span aria-hidden="true" class="grid size-12 shrink-0 place-items-center rounded-xl text-sm font-semibold text-white/90" style={{ background: placeholderArt(collection.name).background }}>
                  {placeholderArt(collection.name).initials}
                </span>
                <span class="min-w-0">
                  <span class="flex items-center gap-1.5 truncate font-medium text-ink">
                    <Show when={collection.source}>{(source) => <SourceMark kind={source().kind} />}</Show>
                    {collection.name}
                  </span>
                  <span class="block truncate text-xs text-ink-subtle">
                    {collection.itemCount} title{collection.itemCount === 1 ? '' : 's'} · updated {formatRelative(collection.updatedAt)}
                    <Show when={collection.description}> · {collection.description}</Show>
                  </span>
                </span>
              </A>
            )}
          </ReorderList>
        )}
      </QueryView>
      <Show when={importing()}>
        <ImportListForm open={importing()} onOpenChange={setImporting} onSubmit={importUrl} />
      </Show>
      <Show when={creating()}>
        <CollectionForm open={creating()} onOpenChange={setCreating} title="New collection" submitLabel="Create" onSubmit={create} />
      </Show>
    </Page>
  );
}
