import { createEffect, createSignal, on } from 'solid-js';
import { type ApiError, api, call, toApiError } from '../../api/client';
import { postToBucket } from '../../api/bucketUpload';
import type { components } from '../../api/schema';
import { createQuery, type Query } from '../../lib/query';

type S = components['schemas'];
export type ImportFormat = S['ImportCreateInput']['format'];
export type ImportStatus = S['ImportOut']['status'];
export type ImportDetail = S['ImportOut'];
export type ImportSummary = S['ImportSummary'];

export const IMPORT_FORMATS: { value: ImportFormat; label: string; hint: string; accept: string }[] = [
  { value: 'letterboxd', label: 'Letterboxd', hint: 'The ZIP from Settings → Data → Export your data (or one of its CSV files).', accept: '.zip,.csv' },
  { value: 'imdb', label: 'IMDb', hint: 'Your ratings or watchlist CSV (Your ratings → ⋯ → Export).', accept: '.csv' },
  { value: 'trakt', label: 'Trakt', hint: 'The JSON export (or its ZIP) from Settings → Your data.', accept: '.zip,.json' },
  { value: 'ryot', label: 'Ryot', hint: 'The JSON export from Settings → Imports and exports.', accept: '.json' },
  { value: 'yamtrack', label: 'Yamtrack', hint: 'The CSV from Settings → Import data → Export.', accept: '.csv' },
  { value: 'seen', label: '/seen/', hint: 'A /seen/ export (Account → Download your data).', accept: '.zip,.json' },
];

export const formatLabel = (format: ImportFormat) => IMPORT_FORMATS.find((f) => f.value === format)?.label ?? format;

export const STATUS_LABELS: Record<ImportStatus, string> = {
  parsing: 'Reading the file',
  preview: 'Ready to apply',
  applying: 'Applying',
  applied: 'Imported',
  failed: 'Failed',
};

/** Still working in the background: poll it. */
export const isBusy = (status: ImportStatus | undefined) => status === 'parsing' || status === 'applying';

export const IMPORT_POLL_MS = 1000;

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

/**
 * Your history imports: the past ones (GET /imports), and the one being
 * worked on here: uploaded, polled while the server reads it, previewed,
 * applied (polled again for progress), done.
 */
export function createImports(pollMs = IMPORT_POLL_MS) {
  const past = createQuery(() => true, () => call(api.GET('/api/v1/imports', { params: { query: { pageSize: 10 } } })));
  const [currentId, setCurrentId] = createSignal<string>();
  const current: Query<ImportDetail> = createQuery(
    currentId,
    (id) => call(api.GET('/api/v1/imports/{import_id}', { params: { path: { import_id: id } } })),
    { pollMs: (): number | false => (isBusy(current.data()?.status) ? pollMs : false) },
  );
  const [uploading, setUploading] = createSignal(false);
  // When the import on screen settles (read, applied or failed), the list shows its new state too.
  createEffect(
    on(
      () => current.data()?.status,
      (status, before) => status && before && status !== before && !isBusy(status) && void past.refetch(),
      { defer: true },
    ),
  );

  const upload = async (format: ImportFormat, file: File): Promise<ApiError | undefined> => {
    setUploading(true);
    try {
      const uploadId = await uploadExport(format, file);
      const created = await call(api.POST('/api/v1/imports', { body: { format, filename: file.name, uploadId } }));
      setCurrentId(created.id);
      void past.refetch();
      return undefined;
    } catch (error) {
      return toApiError(error);
    } finally {
      setUploading(false);
    }
  };

  const apply = async (): Promise<ApiError | undefined> => {
    const id = currentId();
    if (!id) return undefined;
    try {
      const started = await call(api.POST('/api/v1/imports/{import_id}/apply', { params: { path: { import_id: id } } }));
      current.mutate((c) => c && { ...c, status: started.status, progress: started.progress });
      await current.refetch();
      return undefined;
    } catch (error) {
      return toApiError(error);
    }
  };

  return {
    past,
    current,
    currentId,
    /** Opens one of the past imports (to apply a preview left earlier, or see what did not match). */
    open: (id: string | undefined) => setCurrentId(id),
    uploading,
    upload,
    apply,
  };
}

export type Imports = ReturnType<typeof createImports>;
