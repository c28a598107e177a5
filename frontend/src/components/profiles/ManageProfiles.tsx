import Pencil from 'lucide-solid/icons/pencil';
import Plus from 'lucide-solid/icons/plus';
import Trash from 'lucide-solid/icons/trash';
import UsersRound from 'lucide-solid/icons/users-round';
import { createSignal, For, Match, onMount, Show, Switch } from 'solid-js';
import { fetchCollections, collectionKeys } from '../../api/collections';
import { toApiError } from '../../api/client';
import { deleteProfile, type Profile } from '../../api/profiles';
import { createApiQuery } from '../../api/queryClient';
import type { ProfileStore } from '../../stores/profiles';
import { showToast } from '../../stores/toasts';
import { buttonStyles } from '../ui/button';
import { EmptyState } from '../ui/EmptyState';
import { ErrorState } from '../ui/ErrorState';
import { Modal } from '../ui/Modal';
import { ListSkeleton } from '../ui/Skeleton';
import { ProfileAvatar } from './ProfileAvatar';
import { ProfileForm } from './ProfileForm';

const card = 'rounded-2xl border border-line bg-surface';

function describe(profile: Profile): string {
  const parts = [profile.kind === 'kid' ? `Kid · up to ${profile.maxRating ?? 'the default rating'}` : 'Adult'];
  if (profile.kind === 'kid' && profile.allowedCollections.length) {
    parts.push(`${profile.allowedCollections.length} collection${profile.allowedCollections.length === 1 ? '' : 's'} only`);
  }
  if (profile.hasPin) parts.push('PIN');
  if (profile.isOwner) parts.push('Account owner');
  return parts.join(' · ');
}

/** Settings › Profiles: the household's profiles, added, edited and deleted here. */
export function ManageProfiles(props: { store: ProfileStore }) {
  const [editing, setEditing] = createSignal<Profile | 'new'>();
  const [deleting, setDeleting] = createSignal<Profile>();
  const [busy, setBusy] = createSignal(false);
  const collections = createApiQuery(() => ({ queryKey: collectionKeys.list, queryFn: fetchCollections, enabled: editing() !== undefined }));
  onMount(() => void props.store.load());

  const saved = (profile: Profile) => {
    const added = editing() === 'new';
    setEditing(undefined);
    showToast({ tone: 'success', title: added ? 'Profile added' : 'Profile saved', body: profile.name });
    void props.store.load();
  };

  const remove = async () => {
    const profile = deleting();
    if (!profile || busy()) return;
    setBusy(true);
    try {
      await deleteProfile(profile.id);
      showToast({ tone: 'success', title: 'Profile deleted', body: profile.name });
      setDeleting(undefined);
      void props.store.load();
    } catch (error) {
      showToast({ tone: 'error', title: `Couldn't delete “${profile.name}”`, body: toApiError(error).message });
    } finally {
      setBusy(false);
    }
  };

  const editingProfile = () => {
    const value = editing();
    return value && value !== 'new' ? value : undefined;
  };

  return (
    <div class="flex flex-col gap-4">
      <Switch>
        <Match when={!props.store.ready()}>
          <ListSkeleton rows={2} label="Loading profiles…" />
        </Match>
        <Match when={props.store.error()}>
          {(error) => <ErrorState error={error()} title="Couldn't load the profiles" onRetry={() => void props.store.load()} />}
        </Match>
        <Match when={props.store.profiles().length === 0}>
          <EmptyState icon={UsersRound} level={3} title="Profiles aren't available" body="This /seen/ server has no household profiles." />
        </Match>
        <Match when={true}>
          <ul aria-label="Your profiles" class={`${card} divide-y divide-line`}>
            <For each={props.store.profiles()}>
              {(profile) => (
                <li class="flex items-center gap-4 p-4">
                  <ProfileAvatar profile={profile} showLock />
                  <div class="min-w-0 flex-1">
                    <p class="truncate font-medium text-ink">
                      {profile.name}
                      <Show when={profile.id === props.store.currentId()}>
                        <span class="ml-2 text-xs font-normal text-ink-subtle">(watching now)</span>
                      </Show>
                    </p>
                    <p class="truncate text-sm text-ink-muted">{describe(profile)}</p>
                  </div>
                  <button type="button" class={buttonStyles.icon} aria-label={`Edit ${profile.name}`} onClick={() => setEditing(profile)}>
                    <Pencil class="size-4" strokeWidth={1.75} />
                  </button>
                  <Show when={!profile.isOwner}>
                    <button type="button" class={buttonStyles.icon} aria-label={`Delete ${profile.name}`} onClick={() => setDeleting(profile)}>
                      <Trash class="size-4" strokeWidth={1.75} />
                    </button>
                  </Show>
                </li>
              )}
            </For>
          </ul>
          <div>
            <button type="button" class={buttonStyles.secondary} onClick={() => setEditing('new')}>
              <Plus class="size-4" strokeWidth={1.75} />
              Add profile
            </button>
          </div>
        </Match>
      </Switch>

      <Modal
        open={editing() !== undefined}
        onOpenChange={(open) => !open && setEditing(undefined)}
        title={editingProfile() ? `Edit ${editingProfile()!.name}` : 'Add a profile'}
        description="Each profile keeps its own history, progress, ratings, watch later and recommendations."
      >
        <ProfileForm
          profile={editingProfile()}
          collections={collections.data}
          takenColors={props.store.profiles().map((profile) => profile.color)}
          owner={props.store.profiles().find((profile) => profile.isOwner)}
          onSaved={saved}
          onCancel={() => setEditing(undefined)}
        />
      </Modal>

      <Modal open={deleting() !== undefined} onOpenChange={(open) => !open && setDeleting(undefined)} title={`Delete ${deleting()?.name ?? 'profile'}?`}>
        <p class="text-sm text-ink-muted">Its history, progress, ratings, watch later and recommendations are deleted with it. This can't be undone.</p>
        <div class="mt-6 flex justify-end gap-3">
          <button type="button" class={buttonStyles.ghost} onClick={() => setDeleting(undefined)}>
            Cancel
          </button>
          <button type="button" class={`${buttonStyles.primary} bg-danger! text-white!`} disabled={busy()} onClick={() => void remove()}>
            {busy() ? 'Deleting…' : 'Delete profile'}
          </button>
        </div>
      </Modal>
    </div>
  );
}
