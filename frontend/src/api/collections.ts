/** Collections: the viewer's own shelves of titles, in their order. */
import { fetchAllPages } from './allPages';
import { api, call } from './client';

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
