import { useNavigate } from '@solidjs/router';
import { createSignal, Show } from 'solid-js';
import { ApiError, toApiError } from '../../api/client';
import { importListFile, MAX_LIST_FILE_BYTES } from '../../api/collections';
import { showToast } from '../../stores/toasts';
import { buttonStyles } from '../ui/button';
import { fieldStyles } from '../ui/form';
import { Modal } from '../ui/Modal';

/** "Import a list": paste a public Trakt, Letterboxd or IMDb list's URL, or upload a Letterboxd or IMDb list
 * export file; the collection fills in the background. Without `onSubmitFile` an uploaded file's collection opens
 * once the import is accepted. */
export function ImportListForm(props: {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  onSubmit: (url: string) => Promise<unknown>;
  onSubmitFile?: (file: File) => Promise<unknown>;
}) {
  const navigate = useNavigate();
  const [url, setUrl] = createSignal('');
  const [file, setFile] = createSignal<File>();
  const [error, setError] = createSignal<ApiError>();
  const [busy, setBusy] = createSignal(false);

  const openImported = async (chosen: File) => {
    const started = await importListFile(chosen);
    showToast({ tone: 'success', title: 'Importing the list', body: 'The collection fills in a moment.' });
    navigate(`/app/collections/${started.collectionId}`);
  };

  const submit = async (event: SubmitEvent) => {
    event.preventDefault();
    const chosen = file();
    if (chosen && chosen.size > MAX_LIST_FILE_BYTES) {
      setError(new ApiError(413, 'list_file_too_large', 'The file is larger than 4 MB; list exports are smaller.'));
      return;
    }
    setBusy(true);
    setError(undefined);
    try {
      if (chosen) await (props.onSubmitFile ?? openImported)(chosen);
      else await props.onSubmit(url().trim());
      props.onOpenChange(false);
    } catch (err) {
      setError(toApiError(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal
      open={props.open}
      onOpenChange={props.onOpenChange}
      title="Import a list"
      description="A public list from Trakt, Letterboxd or IMDb becomes a collection that keeps itself in sync."
    >
      <form class="flex flex-col gap-5" onSubmit={submit}>
        <div>
          <label for="list-url" class={fieldStyles.label}>List URL</label>
          <input
            id="list-url"
            type="url"
            inputMode="url"
            class={fieldStyles.input}
            required={!file()}
            disabled={!!file()}
            maxLength={2000}
            value={url()}
            onInput={(e) => setUrl(e.currentTarget.value)}
            aria-invalid={error() && !file() ? 'true' : undefined}
            aria-describedby="list-url-hint"
            placeholder="https://letterboxd.com/user/list/favourites/"
          />
          <p id="list-url-hint" class={fieldStyles.hint}>
            trakt.tv/users/…/lists/… · letterboxd.com/…/list/…/ · imdb.com/list/ls…/
          </p>
        </div>
        <div>
          <label for="list-file" class={fieldStyles.label}>or upload an export file</label>
          <input
            id="list-file"
            type="file"
            accept=".csv,text/csv"
            class="block w-full text-sm text-ink-muted file:mr-3 file:rounded-lg file:border-0 file:bg-raised file:px-3 file:py-1.5 file:text-sm file:font-medium file:text-ink"
            onChange={(e) => {
              setFile(e.currentTarget.files?.[0]);
              setError(undefined);
            }}
            aria-invalid={error() && file() ? 'true' : undefined}
            aria-describedby="list-file-hint"
          />
          <p id="list-file-hint" class={fieldStyles.hint}>
            A Letterboxd list export or an IMDb list export (CSV). Trakt has no export file: paste its URL.
          </p>
        </div>
        <Show when={error()}>
          <p role="alert" class={fieldStyles.error}>{error()!.message}</p>
        </Show>
        <div class="flex justify-end gap-2">
          <button type="button" class={buttonStyles.ghost} onClick={() => props.onOpenChange(false)}>Cancel</button>
          <button type="submit" class={buttonStyles.primary} disabled={busy() || (!file() && !url().trim())}>
            {busy() ? 'Importing…' : 'Import'}
          </button>
        </div>
      </form>
    </Modal>
  );
}
