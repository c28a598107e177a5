/** History imports (Letterboxd, IMDb, Trakt, ...): upload an export, preview what matched, apply it. */
import { postToBucket } from './bucketUpload';
import { api, call } from './client';
import type { components } from './schema';

type S = components['schemas'];
export type ImportFormat = S['ImportCreateInput']['format'];
export type ImportDetail = S['ImportOut'];

export const importKeys = {
  recent: () => ['imports', 'recent'] as const,
  detail: (id: string) => ['imports', 'detail', id] as const,
};

/** Your ten latest imports. */
export const fetchRecentImports = () => call(api.GET('/api/v1/imports', { params: { query: { pageSize: 10 } } }));
export const fetchImport = (id: string) => call(api.GET('/api/v1/imports/{import_id}', { params: { path: { import_id: id } } }));
export const createImport = (format: ImportFormat, filename: string, uploadId: string) =>
  call(api.POST('/api/v1/imports', { body: { format, filename, uploadId } }));
export const applyImport = (id: string) => call(api.POST('/api/v1/imports/{import_id}/apply', { params: { path: { import_id: id } } }));

/** The limit as the server words it ("48 MiB"). */
const mebibytes = (bytes: number) => `${Math.floor(bytes / 2 ** 20)} MiB`;

/**
 * Sends an export straight to the bucket, never through the API: a presigned form from
 * `POST /imports/uploads`, then the file. Returns the upload id that `POST /imports` takes.
 */
export async function uploadExport(format: ImportFormat, file: File): Promise<string> {
  const form = await call(api.POST('/api/v1/imports/uploads', { body: { format, filename: file.name, sizeBytes: file.size } }));
  return postToBucket(form, file, { code: 'import_too_large', message: `An export may be at most ${mebibytes(form.maxBytes)}.` });
}
