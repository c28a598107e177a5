import { createUniqueId, Match, Switch } from 'solid-js';
import type { MediaServerKind } from '../../api/mediaServers';

/** How the SPA names each kind of server. */
export const serverKindName: Record<MediaServerKind, string> = { jellyfin: 'Jellyfin', plex: 'Plex' };

/**
 * The kind's mark, drawn small (a nod to each brand's shape and colours, not their artwork).
 * Decorative: always paired with the kind's name in text.
 */
export function ServerLogo(props: { kind: MediaServerKind; class?: string }) {
  const gradient = `jellyfin-mark-${createUniqueId()}`; // one per drawing: a page may show several
  return (
    <Switch>
      <Match when={props.kind === 'jellyfin'}>
        <svg viewBox="0 0 24 24" aria-hidden="true" data-kind="jellyfin" class={props.class ?? 'size-5'}>
          <defs>
            <linearGradient id={gradient} x1="0.1" y1="0.1" x2="0.9" y2="0.9">
              <stop offset="0" stop-color="#aa5cc3" />
              <stop offset="1" stop-color="#00a4dc" />
            </linearGradient>
          </defs>
          <path
            fill={`url(#${gradient})`}
            fill-rule="evenodd"
            d="M12 2.2c-1.6 0-6.7 9.3-5.9 10.9.8 1.6 11 1.6 11.8 0C18.7 11.5 13.6 2.2 12 2.2Zm0 4.1c1 0 3.6 4.9 3.1 5.7-.4.8-5.8.8-6.2 0-.5-.8 2.1-5.7 3.1-5.7ZM12 21.8c-3.1 0-10-1.3-10.4-3-.5-1.8 7.5-14.5 9-14.2-1.2 2-6.6 11.3-5.8 12.8.8 1.6 13.6 1.6 14.4 0 .8-1.5-4.6-10.8-5.8-12.8 1.5-.3 9.5 12.4 9 14.2-.4 1.7-7.3 3-10.4 3Z"
          />
        </svg>
      </Match>
      <Match when={props.kind === 'plex'}>
        <svg viewBox="0 0 24 24" aria-hidden="true" data-kind="plex" class={props.class ?? 'size-5'}>
          <path fill="#e5a00d" d="M7.2 3h5.6l5 9-5 9H7.2l5-9-5-9Z" />
        </svg>
      </Match>
    </Switch>
  );
}
