/** Jellyfin and Plex servers that /seen/ mirrors into its catalog (admin): add, change, test, sync, remove. */
import { api, call } from './client';
import type { components } from './schema';

type S = components['schemas'];
export type MediaServer = S['MediaServerOut'];
export type MediaServerKind = MediaServer['kind'];
export type MediaServerSync = S['MediaServerSync'];
export type SyncCounts = S['SyncCounts'];
export type MediaServerInput = S['MediaServerCreateInput'];
export type MediaServerPatch = S['MediaServerPatchInput'];
/** A title's (or an episode's) copy on one of the household's servers. */
export type OwnedCopy = S['OwnedCopy'];

export const mediaServerKeys = {
  list: () => ['admin', 'media-servers'] as const,
  // Not under list(): invalidating the list must not refetch every server's sync.
  sync: (id: string) => ['admin', 'media-server-sync', id] as const,
};

const server = (id: string) => ({ params: { path: { server_id: id } } });

export const listMediaServers = async () => (await call(api.GET('/api/v1/admin/media-servers'))).items;
/** 409 when the name is taken, 503 when this /seen/ has no key to encrypt the token with. */
export const createMediaServer = (body: MediaServerInput) => call(api.POST('/api/v1/admin/media-servers', { body }));
/** Changes only the fields sent; the token is sent only when a new one was typed. */
export const updateMediaServer = (id: string, body: MediaServerPatch) =>
  call(api.PATCH('/api/v1/admin/media-servers/{server_id}', { ...server(id), body }));
/** Forgets the server and what /seen/ mirrored from it (never the server's own files). */
export const deleteMediaServer = (id: string) => call(api.DELETE('/api/v1/admin/media-servers/{server_id}', server(id)));
/** Asks the server who it is; a 502 carries the reason (refused token, address not allowed, ...). */
export const testMediaServer = (id: string) => call(api.POST('/api/v1/admin/media-servers/{server_id}/test', server(id)));
/** Starts a sync in the background (202); a sync already waiting or running is answered instead. */
export const startMediaServerSync = (id: string) => call(api.POST('/api/v1/admin/media-servers/{server_id}/sync', server(id)));
/** The sync waiting or running, else the last one (404 `media_server_never_synced` before the first). */
export const fetchMediaServerSync = (id: string) => call(api.GET('/api/v1/admin/media-servers/{server_id}/sync', server(id)));
