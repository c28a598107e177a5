import { A, useLocation } from '@solidjs/router';
import ExternalLink from 'lucide-solid/icons/external-link';
import Play from 'lucide-solid/icons/play';
import { createMemo, For, Show } from 'solid-js';
import type { OwnedCopy } from '../../api/mediaServers';
import { listMyMediaServers, myMediaServerKeys } from '../../api/myMediaServers';
import { createApiQuery } from '../../api/queryClient';
import { ServerLogo, serverKindName } from '../mediaservers/ServerLogo';

interface Place {
  copy: OwnedCopy;
  /** "Jellyfin" while the copies are on one server; "Living room Plex" when there are several to tell apart. */
  name: string;
  several: boolean;
}

/** A server's name with its kind, unless the name already says it ("Plex at mum's" stays as it is). */
const withKind = (copy: OwnedCopy) => {
  const kind = serverKindName[copy.kind];
  return copy.serverName.toLowerCase().includes(copy.kind) ? copy.serverName : `${copy.serverName} ${kind}`;
};

/** One copy per server (a playable one first: it opens straight into the player), each with the name to show. */
export function ownedPlaces(owned: OwnedCopy[] | null | undefined): Place[] {
  const byServer = new Map<string, OwnedCopy>();
  for (const copy of owned ?? []) {
    const seen = byServer.get(copy.serverId);
    if (!seen || (copy.playable && !seen.playable)) byServer.set(copy.serverId, copy);
  }
  const copies = [...byServer.values()];
  const several = copies.length > 1;
  return copies.map((copy) => ({ copy, several, name: several ? withKind(copy) : serverKindName[copy.kind] }));
}

const openLink = { target: '_blank', rel: 'noopener noreferrer' } as const;

/** The servers you linked your own account on (their files can play here, from the server itself). */
function createLinkedServers(enabled: () => boolean) {
  const query = createApiQuery(() => ({ queryKey: myMediaServerKeys.list(), queryFn: listMyMediaServers, enabled: enabled() }));
  return (serverId: string) => Boolean(query.data?.some((s) => s.serverId === serverId && s.linked));
}

/** Where "Play from Jellyfin" goes: the server-stream player, told the title and the way back. */
export function serverPlayHref(copy: OwnedCopy, name: string, title: string | undefined, back: string) {
  const search = new URLSearchParams({ server: name, back, ...(title ? { title } : {}) });
  return `/app/play/${encodeURIComponent(copy.serverId)}/${encodeURIComponent(copy.itemId)}?${search}`;
}

/** On a title page: "On your Jellyfin" and "Open in Jellyfin" for each server that holds the title, and "Play from
 * Jellyfin" where the copy is a file and you linked your account there. */
export function OwnedBadges(props: { owned: OwnedCopy[] | null | undefined; title?: string }) {
  const places = createMemo(() => ownedPlaces(props.owned));
  const linked = createLinkedServers(() => places().some((p) => p.copy.playable));
  const location = useLocation();
  return (
    <Show when={places().length}>
      <ul aria-label="On your media servers" class="mt-4 flex flex-wrap items-center gap-x-4 gap-y-2">
        <For each={places()}>
          {(place) => (
            <li class="flex items-center gap-1">
              <span data-testid="owned-badge" class="inline-flex h-8 items-center gap-2 rounded-full border border-line-strong bg-white/10 pl-2.5 pr-3.5 text-xs font-medium text-ink backdrop-blur-md">
                <ServerLogo kind={place.copy.kind} class="size-4" />
                On {place.several ? place.name : `your ${place.name}`}
              </span>
              <a
                href={place.copy.openUrl}
                {...openLink}
                class="inline-flex h-8 items-center gap-1.5 rounded-full px-3 text-xs font-medium text-ink-muted transition-colors hover:bg-hover hover:text-ink focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-accent"
              >
                Open in {place.name}
                <ExternalLink class="size-3.5" strokeWidth={1.75} aria-hidden="true" />
              </a>
              <Show when={place.copy.playable && linked(place.copy.serverId)}>
                <A
                  href={serverPlayHref(place.copy, place.copy.serverName, props.title, location.pathname)}
                  data-testid="play-from-server"
                  class="inline-flex h-8 items-center gap-1.5 rounded-full px-3 text-xs font-medium text-ink transition-colors hover:bg-hover focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-accent"
                >
                  <Play class="size-3.5" strokeWidth={1.75} aria-hidden="true" />
                  Play from {place.name}
                </A>
              </Show>
            </li>
          )}
        </For>
      </ul>
    </Show>
  );
}

/** In an episode list: a small "On Jellyfin" chip per server that holds the episode, opening it there. */
export function OwnedChips(props: { owned: OwnedCopy[] | null | undefined; code: string }) {
  return (
    <For each={ownedPlaces(props.owned)}>
      {(place) => (
        <a
          href={place.copy.openUrl}
          {...openLink}
          data-testid="owned-chip"
          aria-label={`${props.code} on ${place.name}`}
          title={`Open in ${place.name}`}
          class="ml-2 inline-flex items-center gap-1 rounded-full border border-line-strong px-2 py-px align-middle text-[11px] font-medium text-ink-muted transition-colors hover:border-accent/50 hover:text-ink"
        >
          <ServerLogo kind={place.copy.kind} class="size-3" />
          On {place.name}
        </a>
      )}
    </For>
  );
}
