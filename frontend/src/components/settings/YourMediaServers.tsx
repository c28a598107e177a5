import { useQueryClient, type QueryState } from '@tanstack/solid-query';
import { createSignal, For, Show } from 'solid-js';
import { toApiError, type ApiError } from '../../api/client';
import {
  importFromMediaServer, linkMediaServer, listMyMediaServers, myMediaServerKeys, unlinkMediaServer,
  type AccountImport, type MyMediaServer,
} from '../../api/myMediaServers';
import { createApiQuery, pollEvery } from '../../api/queryClient';
import { formatDateTime } from '../../lib/format';
import { showToast } from '../../stores/toasts';
import { ServerLogo, serverKindName } from '../mediaservers/ServerLogo';
import { QueryView } from '../ui/QueryView';
import { ListSkeleton } from '../ui/Skeleton';
import { buttonStyles } from '../ui/button';
import { fieldStyles } from '../ui/form';
import { settingsCard } from './SettingRow';

const busy = (last: AccountImport | null | undefined) => last?.status === 'queued' || last?.status === 'running';

/** Your own account on the household's Jellyfin and Plex servers: what you played there comes here once, and
 * owned files can play from the server itself. */
export function YourMediaServers() {
  const servers = createApiQuery(() => ({
    queryKey: myMediaServerKeys.list(),
    queryFn: listMyMediaServers,
    refetchInterval: (query: { state: QueryState<MyMediaServer[], ApiError> }) =>
      pollEvery((query.state.data ?? []).some((s) => busy(s.lastImport)) ? 2000 : false)(query),
  }));
  return (
    <QueryView query={servers} loading={<ListSkeleton rows={2} label="Loading your media servers…" />} errorTitle="Couldn't load your media servers">
      {(items) => (
        <div class="flex flex-col gap-4">
          <p class="text-sm text-ink-muted">
            Link your own account on a server your admin added: what you watched there is added to your history once, and titles it
            holds can play from it here. Your password is used once to sign in; /seen/ keeps only the server's token.
          </p>
          <Show when={items().length} fallback={<p class="text-sm text-ink-subtle">No media server has been added yet: an admin adds them in Admin → Media servers.</p>}>
            <For each={items()}>{(server) => <ServerCard server={server} />}</For>
          </Show>
        </div>
      )}
    </QueryView>
  );
}

function ServerCard(props: { server: MyMediaServer }) {
  const client = useQueryClient();
  const [error, setError] = createSignal<string>();
  const [working, setWorking] = createSignal(false);
  const kind = () => serverKindName[props.server.kind];
  const refresh = () => client.invalidateQueries({ queryKey: myMediaServerKeys.list() });

  const act = async (work: () => Promise<unknown>, done: string) => {
    setWorking(true);
    setError(undefined);
    try {
      await work();
      await refresh();
      showToast({ tone: 'success', title: done });
    } catch (failure) {
      setError(toApiError(failure).message);
    } finally {
      setWorking(false);
    }
  };

  const link = (event: SubmitEvent) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget as HTMLFormElement);
    const body =
      props.server.kind === 'jellyfin'
        ? { username: String(form.get('username') ?? ''), password: String(form.get('password') ?? '') }
        : { token: String(form.get('token') ?? '') };
    void act(() => linkMediaServer(props.server.serverId, body), `Linked to ${props.server.name}`);
  };

  const field = (name: string) => `my-server-${props.server.serverId}-${name}`;
  return (
    <section class={`${settingsCard} px-5 py-5 sm:px-6`} aria-label={props.server.name}>
      <div class="flex items-center gap-2">
        <ServerLogo kind={props.server.kind} class="size-5" />
        <h3 class="font-medium text-ink">{props.server.name}</h3>
        <Show when={props.server.linked}>
          <span data-testid="linked-as" class="text-sm text-ink-muted">· linked as {props.server.remoteUser}</span>
        </Show>
      </div>
      <Show
        when={props.server.linked}
        fallback={
          <form class="mt-4 flex flex-wrap items-end gap-3" aria-label={`Link your ${kind()} account`} onSubmit={link}>
            <Show
              when={props.server.kind === 'jellyfin'}
              fallback={
                <div class="min-w-0 flex-1">
                  <label for={field('token')} class={fieldStyles.label}>Your X-Plex-Token</label>
                  <input id={field('token')} name="token" type="password" required autocomplete="off" class={`${fieldStyles.input} w-full`} />
                </div>
              }
            >
              <div>
                <label for={field('username')} class={fieldStyles.label}>Username</label>
                <input id={field('username')} name="username" required autocomplete="username" class={fieldStyles.input} />
              </div>
              <div>
                <label for={field('password')} class={fieldStyles.label}>Password</label>
                <input id={field('password')} name="password" type="password" autocomplete="current-password" class={fieldStyles.input} />
              </div>
            </Show>
            <button type="submit" class={buttonStyles.primary} disabled={working()}>
              {working() ? 'Linking…' : 'Link'}
            </button>
          </form>
        }
      >
        <LastImport last={props.server.lastImport} />
        <div class="mt-4 flex flex-wrap gap-3">
          <button
            type="button"
            class={buttonStyles.secondary}
            disabled={working() || busy(props.server.lastImport)}
            onClick={() => void act(() => importFromMediaServer(props.server.serverId), 'Importing again')}
          >
            Import again
          </button>
          <button type="button" class={buttonStyles.ghost} disabled={working()} onClick={() => void act(() => unlinkMediaServer(props.server.serverId), `Unlinked from ${props.server.name}`)}>
            Unlink
          </button>
        </div>
      </Show>
      <Show when={error()}>
        <p role="alert" class={`${fieldStyles.error} mt-3`}>{error()}</p>
      </Show>
    </section>
  );
}

function LastImport(props: { last: AccountImport | null | undefined }) {
  return (
    <p data-testid="last-import" class="mt-3 text-sm text-ink-muted">
      <Show when={props.last} fallback="Nothing imported yet.">
        {(last) => (
          <Show when={!busy(last())} fallback="Importing what you played…">
            <Show when={last().status === 'completed'} fallback={`The import failed: ${last().error ?? 'unknown reason'}`}>
              Imported {last().watched} watched, {last().inProgress} in progress, {last().unmatched} not in the catalog
              <Show when={last().finishedAt}>{(at) => <> · {formatDateTime(at())}</>}</Show>.
            </Show>
          </Show>
        )}
      </Show>
    </p>
  );
}
