import ServerIcon from 'lucide-solid/icons/server';
import { createSignal, For, Show } from 'solid-js';
import {
  createMediaServer,
  deleteMediaServer,
  listMediaServers,
  mediaServerKeys,
  updateMediaServer,
  type MediaServer,
  type MediaServerInput,
  type MediaServerPatch,
} from '../../api/mediaServers';
import { createApiQuery } from '../../api/queryClient';
import { showToast } from '../../stores/toasts';
import { buttonStyles } from '../ui/button';
import { EmptyState } from '../ui/EmptyState';
import { Modal } from '../ui/Modal';
import { QueryView } from '../ui/QueryView';
import { ListSkeleton } from '../ui/Skeleton';
import { createEditableList } from './editableList';
import { MediaServerCard } from './MediaServerCard';
import { MediaServerForm } from './MediaServerForm';

const ADD = 'Add media server';

/** A dialog about one server (none: adding one). The server stays set while the dialog closes, so it does not change as it fades. */
type Dialog = { open: boolean; server?: MediaServer };
const closed = (dialog: Dialog): Dialog => ({ ...dialog, open: false });

/** "Remove Living room?": says what goes (what /seen/ mirrored) and what stays (the server's files). */
function RemoveDialog(props: { dialog: Dialog; onClose: () => void; onConfirm: (server: MediaServer) => void }) {
  return (
    <Modal
      open={props.dialog.open}
      onOpenChange={(open) => !open && props.onClose()}
      title={`Remove ${props.dialog.server?.name ?? 'this server'}?`}
      description="/seen/ forgets the server and what it mirrored from it: the owned badges, the links to it and the shows it followed for you. Nothing changes on the server itself; your files stay where they are."
    >
      <div class="flex justify-end gap-3">
        <button type="button" class={buttonStyles.ghost} onClick={() => props.onClose()}>Cancel</button>
        <button type="button" class={`${buttonStyles.primary} bg-danger hover:bg-danger/85`} onClick={() => props.onConfirm(props.dialog.server!)}>Remove</button>
      </div>
    </Modal>
  );
}

/** Jellyfin and Plex servers /seen/ mirrors into its catalog: add, test, sync now, edit, remove. */
export function MediaServersTab() {
  const servers = createApiQuery(() => ({ queryKey: mediaServerKeys.list(), queryFn: listMediaServers }));
  const list = createEditableList(servers, mediaServerKeys.list());
  const [form, setForm] = createSignal<Dialog>({ open: false });
  const [removing, setRemoving] = createSignal<Dialog>({ open: false });

  const create = async (body: MediaServerInput) => {
    const saved = await createMediaServer(body);
    list.add(saved);
    setForm(closed);
    showToast({ tone: 'success', title: 'Media server added', body: `${saved.name}: press Sync now to mirror it.` });
  };
  const update = async (server: MediaServer, body: MediaServerPatch) => {
    if (Object.keys(body).length) list.replace(await updateMediaServer(server.id, body));
    setForm(closed);
    showToast({ tone: 'success', title: 'Media server saved', body: body.name ?? server.name });
  };
  const remove = (server: MediaServer) => {
    setRemoving(closed);
    void list
      .remove(server, () => deleteMediaServer(server.id), `Couldn't remove ${server.name}`)
      .then((error) => !error && showToast({ tone: 'success', title: `${server.name} removed` }));
  };
  const addButton = () => <button type="button" class={buttonStyles.primary} onClick={() => setForm({ open: true })}>{ADD}</button>;

  return (
    <div class="flex flex-col gap-4">
      <div class="flex flex-wrap items-center justify-between gap-4">
        <p class="max-w-2xl text-sm text-ink-muted">
          Jellyfin and Plex servers /seen/ mirrors into its catalog: what they hold shows as yours, their airing shows are followed,
          and every title links back to them. Synced every 6 hours, or when you say so.
        </p>
        <Show when={servers.data?.length}>{addButton()}</Show>
      </div>
      <QueryView
        query={servers}
        loading={<ListSkeleton rows={2} label="Loading media servers…" />}
        isEmpty={(list) => list.length === 0}
        errorTitle="Couldn't load the media servers"
        empty={
          <EmptyState
            icon={ServerIcon}
            level={3}
            title="Bring your server"
            body="Already run Jellyfin or Plex? Add it and /seen/ shows what you own, follows your airing shows and links each title to it."
            action={addButton()}
          />
        }
      >
        {(loaded) => (
          <ul aria-label="Media servers" class="flex flex-col gap-3">
            <For each={loaded().length ? list.rows : []}>
              {(server) => <MediaServerCard server={server} onTested={list.replace} onEdit={() => setForm({ open: true, server })} onRemove={() => setRemoving({ open: true, server })} />}
            </For>
          </ul>
        )}
      </QueryView>
      <Modal
        open={form().open}
        onOpenChange={(open) => !open && setForm(closed)}
        title={form().server ? `Edit ${form().server!.name}` : 'Add a media server'}
        description={form().server ? undefined : 'A Jellyfin or Plex server this /seen/ can reach, at home or anywhere else.'}
      >
        <Show when={form().server} fallback={<MediaServerForm onSave={create} onCancel={() => setForm(closed)} />}>
          {(server) => <MediaServerForm server={server()} onSave={(body: MediaServerPatch) => update(server(), body)} onCancel={() => setForm(closed)} />}
        </Show>
      </Modal>
      <RemoveDialog dialog={removing()} onClose={() => setRemoving(closed)} onConfirm={remove} />
    </div>
  );
}
