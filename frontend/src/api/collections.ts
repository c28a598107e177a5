/** Collections: the viewer's own shelves of titles, in their order. */
import { fetchAllPages } from './allPages';
import { api, call } from './client';
import type { CollectionOut } from './types';

export interface CollectionValues {
  name: string;
  description: string | null;
}

export const collectionKeys = {
  all: ['collections'] as const,
  list: ['collections', 'list'] as const,
  detail: (id: string) => ['collections', 'detail', id] as const,
  items: (id: string) => ['collections', 'items', id] as const,
};

const path = (id: string) => ({ params: { path: { collection_id: id } } });

export const fetchCollections = async () => (await call(api.GET('/api/v1/collections'))).items;

export const createCollection = (values: CollectionValues) => call(api.POST('/api/v1/collections', { body: values }));

export const reorderCollections = (collectionIds: string[]) =>
  call(api.PUT('/api/v1/collections/order', { body: { collectionIds } }));

/** One collection, with `title` (its name) for the frame every detail page shares. */
export async function fetchCollection(id: string) {
  const collection = await call(api.GET('/api/v1/collections/{collection_id}', path(id)));
  return { ...collection, title: collection.name };
}

export const updateCollection = (id: string, values: CollectionValues) =>
  call(api.PATCH('/api/v1/collections/{collection_id}', { ...path(id), body: values }));

export const deleteCollection = (id: string) => call(api.DELETE('/api/v1/collections/{collection_id}', path(id)));

/** Every title of a collection, in its order. */
export const fetchCollectionItems = (id: string) =>
  fetchAllPages((page, pageSize) =>
    call(api.GET('/api/v1/collections/{collection_id}/items', { params: { path: { collection_id: id }, query: { page, pageSize } } })),
  );

export const reorderCollectionItems = (id: string, mediaIds: number[]) =>
  call(api.PUT('/api/v1/collections/{collection_id}/items/order', { ...path(id), body: { mediaIds } }));

export const addCollectionItem = (id: string, mediaId: number) =>
  call(api.POST('/api/v1/collections/{collection_id}/items', { ...path(id), body: { mediaId } }));

export const removeCollectionItem = (id: string, mediaId: number) =>
  call(api.DELETE('/api/v1/collections/{collection_id}/items/{media_id}', { params: { path: { collection_id: id, media_id: String(mediaId) } } }));

/** Where an imported collection comes from (issue 38); null for hand-made ones. */
export type CollectionSource = NonNullable<CollectionOut['source']>;

/** Import a public Trakt, Letterboxd or IMDb list: the collection exists at once and fills in the background. */
export const importList = (url: string) => call(api.POST('/api/v1/collections/import', { body: { url } }));

/** The largest list export the API takes (decoded): Letterboxd's and IMDb's are far smaller. */
export const MAX_LIST_FILE_BYTES = 4 * 1024 * 1024;

/** A file's bytes as base64 (without the data URL's prefix). */
export const fileToBase64 = (file: Blob) =>
  new Promise<string>((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result).replace(/^data:[^,]*,/, ''));
    reader.onerror = () => reject(reader.error ?? new Error('The file could not be read'));
    reader.readAsDataURL(file);
  });

/** Import a Letterboxd or IMDb list export file: the collection exists at once and fills in the background. */
export const importListFile = async (file: File) =>
  call(api.POST('/api/v1/collections/import/file', { body: { filename: file.name || 'list.csv', content: await fileToBase64(file) } }));

/** Read an imported collection's list again now (a one-off import from a file has no list to read: 409). */
export const syncCollection = (id: string) => call(api.POST('/api/v1/collections/{collection_id}/sync', path(id)));

/** True while a sync waits or runs (the page polls until it ends). */
export const isSyncing = (source: CollectionSource | null | undefined) =>
  source?.status === 'queued' || source?.status === 'syncing';
