/** Your own account on the household's Jellyfin and Plex servers: link, unlink, import again, and streams. */
import { api, call } from './client';
import type { components } from './schema';

type S = components['schemas'];
export type MyMediaServer = S['MyMediaServer'];
export type AccountImport = S['AccountImport'];
export type AccountLink = S['AccountLinkInInput'];
export type ServerStream = S['ServerStream'];

export const myMediaServerKeys = {
  list: () => ['me', 'media-servers'] as const,
  stream: (serverId: string, itemId: string) => ['me', 'media-server-stream', serverId, itemId] as const,
};

const server = (id: string) => ({ params: { path: { server_id: id } } });

export const listMyMediaServers = async () => (await call(api.GET('/api/v1/me/media-servers'))).items;
/** 422 with a plain message when the server refuses the name, password or token; 502 when it does not answer. */
export const linkMediaServer = (id: string, body: AccountLink) =>
  call(api.PUT('/api/v1/me/media-servers/{server_id}/link', { ...server(id), body }));
export const unlinkMediaServer = (id: string) => call(api.DELETE('/api/v1/me/media-servers/{server_id}/link', server(id)));
/** Runs the import of what you played there again, in the background (409 while one waits or runs). */
export const importFromMediaServer = (id: string) => call(api.POST('/api/v1/me/media-servers/{server_id}/import', server(id)));
/** The server's own stream of an owned file, with your token (404 unless you linked that server). */
export const fetchServerStream = (serverId: string, itemId: string) =>
  call(api.GET('/api/v1/media-servers/{server_id}/items/{item_id}/stream', { params: { path: { server_id: serverId, item_id: itemId } } }));
