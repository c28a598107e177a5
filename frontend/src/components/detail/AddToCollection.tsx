import Check from 'lucide-solid/icons/check';
import Layers from 'lucide-solid/icons/layers';
import Plus from 'lucide-solid/icons/plus';
import { createSignal, For, Show } from 'solid-js';
import { toApiError } from '../../api/client';
import { addCollectionItem, collectionKeys, createCollection, fetchCollections } from '../../api/collections';
import { createApiQuery } from '../../api/queryClient';
import { showToast } from '../../stores/toasts';
import { buttonStyles } from '../ui/button';
import { ErrorState } from '../ui/ErrorState';
import { fieldStyles } from '../ui/form';
import { Modal } from '../ui/Modal';
import { ListSkeleton } from '../ui/Skeleton';
import { glassButton } from './actions';

/** "Add to collection": pick one of your collections, or make a new one on the spot. */
export function AddToCollection(props: { mediaId: number; title: string }) {
  const [open, setOpen] = createSignal(false);
  const [added, setAdded] = createSignal<ReadonlySet<string>>(new Set());
  const [name, setName] = createSignal('');
  const collections = createApiQuery(() => ({ queryKey: collectionKeys.list, queryFn: fetchCollections, enabled: open() }));

  const addTo = async (id: string, collectionName: string) => {
    try {
      await addCollectionItem(id, props.mediaId);
      showToast({ tone: 'success', title: `Added to ${collectionName}`, body: props.title });
    } catch (error) {
      const apiError = toApiError(error);
      if (apiError.status !== 409) {
        showToast({ tone: 'error', title: `Couldn't add to ${collectionName}`, body: apiError.message });
        return;
      }
      showToast({ tone: 'info', title: `Already in ${collectionName}` });
    }
    setAdded((set) => new Set([...set, id]));
  };

  const create = async (event: SubmitEvent) => {
    event.preventDefault();
    const value = name().trim();
    if (!value) return;
    try {
      const collection = await createCollection({ name: value, description: null });
      setName('');
      await addTo(collection.id, collection.name);
      void collections.refetch();
    } catch (error) {
      showToast({ tone: 'error', title: "Couldn't create the collection", body: toApiError(error).message });
    }
  };

  return (
    <>
      <button type="button" class={glassButton} onClick={() => setOpen(true)}>
        <Layers class="size-4" strokeWidth={1.75} />
        Add to collection
      </button>
      <Modal open={open()} onOpenChange={setOpen} title="Add to collection" description={props.title}>
        <Show when={collections.error}>{(error) => <ErrorState compact error={error()} onRetry={() => void collections.refetch()} />}</Show>
        <Show when={collections.data} fallback={<Show when={!collections.error}><ListSkeleton rows={3} label="Loading collections…" /></Show>}>
          {(items) => (
            <ul class="flex flex-col gap-1.5">
              <For each={items()} fallback={<li class="py-2 text-sm text-ink-muted">You have no collections yet — name your first one below.</li>}>
                {(collection) => (
                  <li class="flex items-center justify-between gap-3 rounded-xl border border-line px-4 py-3">
                    <div class="min-w-0">
                      <p class="truncate text-sm font-medium text-ink">{collection.name}</p>
                      <p class="text-xs text-ink-subtle">{collection.itemCount} title{collection.itemCount === 1 ? '' : 's'}</p>
                    </div>
                    <Show
                      when={added().has(collection.id)}
                      fallback={
                        <button type="button" class={buttonStyles.ghost} onClick={() => void addTo(collection.id, collection.name)}>
                          <Plus class="size-4" strokeWidth={1.75} /> Add
                        </button>
                      }
                    >
                      <span class="inline-flex items-center gap-1.5 px-3 text-sm text-ok">
                        <Check class="size-4" strokeWidth={2} /> Added
                      </span>
                    </Show>
                  </li>
                )}
              </For>
            </ul>
          )}
        </Show>
        <form class="mt-5 flex gap-2 border-t border-line pt-5" onSubmit={create}>
          <label for="new-collection" class="sr-only">New collection name</label>
          <input id="new-collection" class={fieldStyles.input} placeholder="New collection…" maxLength={200} value={name()} onInput={(e) => setName(e.currentTarget.value)} />
          <button type="submit" class={`${buttonStyles.primary} h-11 shrink-0`} disabled={!name().trim()}>
            Create
          </button>
        </form>
      </Modal>
    </>
  );
}
