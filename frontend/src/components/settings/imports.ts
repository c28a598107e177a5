import { createEffect, createSignal, on } from 'solid-js';
import { type ApiError, toApiError } from '../../api/client';
import {
  applyImport, createImport, fetchImport, fetchRecentImports, importKeys, uploadExport, type ImportDetail, type ImportFormat,
} from '../../api/imports';
import { createApiQuery, pollEvery, setQueryData } from '../../api/queryClient';

export type { ImportDetail, ImportFormat };
export type ImportStatus = ImportDetail['status'];

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

/**
 * Your history imports: the past ones (GET /imports), and the one being
 * worked on here: uploaded, polled while the server reads it, previewed,
 * applied (polled again for progress), done.
 */
export function createImports(pollMs = IMPORT_POLL_MS) {
  const past = createApiQuery(() => ({ queryKey: importKeys.recent(), queryFn: fetchRecentImports }));
  const [currentId, setCurrentId] = createSignal<string>();
  const current = createApiQuery(() => {
    const id = currentId();
    return {
      queryKey: importKeys.detail(id ?? ''),
      queryFn: () => fetchImport(id!),
      enabled: id !== undefined,
      refetchInterval: (query) => (isBusy(query.state.data?.status) ? pollEvery(pollMs)(query) : false),
    };
  });
  const [uploading, setUploading] = createSignal(false);
  // When the import on screen settles (read, applied or failed), the list shows its new state too.
  createEffect(
    on(
      () => current.data?.status,
      (status, before) => status && before && status !== before && !isBusy(status) && void past.refetch(),
      { defer: true },
    ),
  );

  const upload = async (format: ImportFormat, file: File): Promise<ApiError | undefined> => {
    setUploading(true);
    try {
      const uploadId = await uploadExport(format, file);
      const created = await createImport(format, file.name, uploadId);
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
      const started = await applyImport(id);
      setQueryData<ImportDetail>(importKeys.detail(id), (c) => c && { ...c, status: started.status, progress: started.progress });
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
