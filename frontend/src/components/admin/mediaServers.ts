/** Media servers (Jellyfin, Plex): the form's rules and how a sync reads (the calls are in api/mediaServers). */
import type { MediaServer, MediaServerInput, MediaServerKind, MediaServerPatch, MediaServerSync, SyncCounts } from '../../api/mediaServers';

export interface MediaServerDraft {
  kind: MediaServerKind;
  name: string;
  url: string;
  /** Write-only: empty means "keep the stored token" when editing. */
  token: string;
  allowPrivate: boolean;
  enabled: boolean;
}

/** What each kind's fields say: the usual address and where its key is found. */
export const KIND_FIELDS: Record<MediaServerKind, { url: string; token: string; tokenHint: string }> = {
  jellyfin: { url: 'http://jellyfin.lan:8096', token: 'API key', tokenHint: 'Jellyfin → Dashboard → API Keys → +' },
  plex: {
    url: 'http://plex.lan:32400',
    token: 'X-Plex-Token',
    tokenHint: 'Plex Web → any item → ⋯ → Get Info → View XML: the X-Plex-Token at the end of the address',
  },
};

export const draftOf = (server?: MediaServer): MediaServerDraft => ({
  kind: server?.kind ?? 'jellyfin',
  name: server?.name ?? '',
  url: server?.url ?? '',
  token: '',
  allowPrivate: server?.allowPrivate ?? false,
  enabled: server?.enabled ?? true,
});

/** The form's own checks, before anything is sent. */
function checkDraft(draft: MediaServerDraft, creating: boolean): Record<string, string> {
  const errors: Record<string, string> = {};
  if (!draft.name.trim()) errors.name = 'Give the server a name, e.g. Living room.';
  if (!/^https?:\/\/\S+$/i.test(draft.url.trim())) errors.url = `An http:// or https:// address, e.g. ${KIND_FIELDS[draft.kind].url}`;
  if (creating && !draft.token.trim()) errors.token = `The ${KIND_FIELDS[draft.kind].token} /seen/ signs in with.`;
  return errors;
}

/** The body of a new server, or the field errors to show first. */
export function createBody(draft: MediaServerDraft): { body?: MediaServerInput; errors: Record<string, string> } {
  const errors = checkDraft(draft, true);
  if (Object.keys(errors).length) return { errors };
  const { kind, name, url, token, allowPrivate, enabled } = draft;
  return { errors, body: { kind, name: name.trim(), url: url.trim(), token: token.trim(), allowPrivate, enabled } };
}

/**
 * What changed on an existing server, or the field errors to show first. Only changed fields are sent, and
 * the token only when a new one was typed (the stored one is never read back).
 */
export function patchBody(server: MediaServer, draft: MediaServerDraft): { body?: MediaServerPatch; errors: Record<string, string> } {
  const errors = checkDraft(draft, false);
  if (Object.keys(errors).length) return { errors };
  const body: MediaServerPatch = {};
  const name = draft.name.trim();
  const url = draft.url.trim();
  if (name !== server.name) body.name = name;
  if (url !== server.url) body.url = url;
  if (draft.token.trim()) body.token = draft.token.trim();
  if (draft.allowPrivate !== server.allowPrivate) body.allowPrivate = draft.allowPrivate;
  if (draft.enabled !== server.enabled) body.enabled = draft.enabled;
  return { errors, body };
}

/** Waiting or running: worth following. */
export const isSyncActive = (sync: MediaServerSync | null | undefined) => sync?.status === 'queued' || sync?.status === 'running';

const number = new Intl.NumberFormat('en-US');

/** "2,100 added · 0 updated · 12 pruned · 3 failed · 0 unmatched" */
export function countsLine(counts: SyncCounts): string {
  const parts: [number, string][] = [
    [counts.added, 'added'],
    [counts.updated, 'updated'],
    [counts.pruned, 'pruned'],
    [counts.failed, 'failed'],
    [counts.unmatched, 'unmatched'],
  ];
  return parts.map(([n, label]) => `${number.format(n)} ${label}`).join(' · ');
}

/** The newer of two syncs of one server (the polled one, the one the list carries). */
export function newerSync(a: MediaServerSync | null | undefined, b: MediaServerSync | null | undefined) {
  if (!a || !b) return a ?? b ?? undefined;
  return Date.parse(a.requestedAt) >= Date.parse(b.requestedAt) ? a : b;
}
