import { A, useNavigate, useParams } from '@solidjs/router';
import ChevronLeft from 'lucide-solid/icons/chevron-left';
import Layers from 'lucide-solid/icons/layers';
import Pencil from 'lucide-solid/icons/pencil';
import Trash from 'lucide-solid/icons/trash';
import X from 'lucide-solid/icons/x';
import { createSignal, Show } from 'solid-js';
import { unwrap } from 'solid-js/store';
import { toApiError } from '../api/client';
import {
  collectionKeys,
  deleteCollection,
  fetchCollection,
  fetchCollectionItems,
  removeCollectionItem,
  reorderCollectionItems,
  updateCollection,
} from '../api/collections';
import { createApiQuery, setQueryData } from '../api/queryClient';
import type { CollectionItemOut } from '../api/types';
import { CollectionForm } from '../components/collections/CollectionForm';
import { CollectionSourceBar } from '../components/collections/CollectionSourceBar';
import { DetailFrame } from '../components/detail/DetailFrame';
import { TitleLine } from '../components/media/TitleLine';
import { buttonStyles } from '../components/ui/button';
import { EmptyState } from '../components/ui/EmptyState';
import { Modal } from '../components/ui/Modal';
import { QueryView } from '../components/ui/QueryView';
import { ReorderList } from '../components/ui/ReorderList';
import { ListSkeleton } from '../components/ui/Skeleton';
import { formatRelative } from '../lib/format';
import { optimistic } from '../lib/optimistic';
import { showToast } from '../stores/toasts';

export default function CollectionDetailPage() {
  const params = useParams<{ id: string }>();
  const navigate = useNavigate();
  const collection = createApiQuery(() => {
    const id = params.id;
    return { queryKey: collectionKeys.detail(id), queryFn: () => fetchCollection(id) };
  });
  const items = createApiQuery(() => {
    const id = params.id;
    return { queryKey: collectionKeys.items(id), queryFn: () => fetchCollectionItems(id) };
  });
  const showItems = (list: CollectionItemOut[]) => setQueryData(collectionKeys.items(params.id), () => list);
  const [editing, setEditing] = createSignal(false);
  const [deleting, setDeleting] = createSignal(false);

  const reorder = (next: CollectionItemOut[], moved: CollectionItemOut) => {
    const before = items.data === undefined ? [] : unwrap(items.data);
    void optimistic({
      apply: () => showItems(next),
      commit: () => reorderCollectionItems(params.id, next.map((i) => i.media.id)),
      rollback: () => showItems(before),
      failure: `Couldn't move “${moved.media.title}”`,
    });
  };

  const remove = (item: CollectionItemOut) => {
    const before = items.data === undefined ? [] : unwrap(items.data);
    void optimistic({
      apply: () => showItems(before.filter((i) => i.media.id !== item.media.id)),
      commit: () => removeCollectionItem(params.id, item.media.id),
      rollback: () => showItems(before),
      failure: `Couldn't remove “${item.media.title}”`,
    });
  };

  const save = async (values: { name: string; description: string | null }) => {
    const updated = await updateCollection(params.id, values);
    setQueryData(collectionKeys.detail(params.id), () => ({ ...updated, title: updated.name }));
  };

  const destroy = async () => {
    try {
      await deleteCollection(params.id);
      showToast({ tone: 'success', title: 'Collection deleted', body: collection.data?.name });
      navigate('/app/collections', { replace: true });
    } catch (error) {
      showToast({ tone: 'error', title: "Couldn't delete the collection", body: toApiError(error).message });
    }
  };

  return (
    <DetailFrame query={collection} noun="collection" backHref="/app/collections">
      {(c) => (
        <>
          <A href="/app/collections" class="mb-6 inline-flex items-center gap-1 text-sm text-ink-muted transition-colors hover:text-ink">
            <ChevronLeft class="size-4" strokeWidth={1.75} /> Collections
          </A>
          <header class="mb-10 flex flex-wrap items-end justify-between gap-4">
            <div class="max-w-2xl">
              <h1 id="page-title" class="text-3xl font-semibold tracking-tight text-ink sm:text-4xl">{c.name}</h1>
              <p class="mt-3 text-ink-muted">{c.description || `${c.itemCount} title${c.itemCount === 1 ? '' : 's'}, updated ${formatRelative(c.updatedAt)}.`}</p>
            </div>
            <div class="flex gap-2">
              <button type="button" class={buttonStyles.secondary} onClick={() => setEditing(true)}>
                <Pencil class="size-4" strokeWidth={1.75} /> Edit
              </button>
              <button type="button" class={`${buttonStyles.ghost} h-10 hover:text-danger`} onClick={() => setDeleting(true)}>
                <Trash class="size-4" strokeWidth={1.75} /> Delete
              </button>
            </div>
          </header>
          <Show when={c.source}>{(source) => <CollectionSourceBar collectionId={c.id} source={source()} />}</Show>
          <QueryView
            query={items}
            loading={<ListSkeleton rows={5} label="Loading titles…" />}
            isEmpty={(list) => list.length === 0}
            empty={<EmptyState icon={Layers} title="This collection is empty" body="Open any title and choose “Add to collection”." action={<A href="/app/discover" class={buttonStyles.secondary}>Browse Discover</A>} />}
          >
            {(list) => (
              <ReorderList items={list()} label={`${c.name} titles`} itemLabel={(i) => i.media.title} onReorder={reorder}>
                {(item) => (
                  <TitleLine
                    title={item.media}
                    detail={item.note ?? `added ${formatRelative(item.addedAt)}`}
                    trailing={
                      <button type="button" class={`${buttonStyles.icon} size-9`} aria-label={`Remove ${item.media.title} from ${c.name}`} onClick={() => remove(item)}>
                        <X class="size-4" strokeWidth={1.75} />
                      </button>
                    }
                  />
                )}
              </ReorderList>
            )}
          </QueryView>
          <Show when={editing()}>
            <CollectionForm open={editing()} onOpenChange={setEditing} title="Edit collection" submitLabel="Save" initial={{ name: c.name, description: c.description }} onSubmit={save} />
          </Show>
          <Modal open={deleting()} onOpenChange={setDeleting} title={`Delete “${c.name}”?`} description="The collection and its list go away; the titles stay in your catalog and history.">
            <div class="flex justify-end gap-2">
              <button type="button" class={buttonStyles.ghost} onClick={() => setDeleting(false)}>Cancel</button>
              <button type="button" class={`${buttonStyles.primary} bg-danger hover:bg-danger/85`} onClick={() => void destroy()}>Delete</button>
            </div>
          </Modal>
        </>
      )}
    </DetailFrame>
  );
}
