import { createSignal, Show } from 'solid-js';
import { ApiError, toApiError } from '../../api/client';
import { buttonStyles } from '../ui/button';
import { fieldStyles } from '../ui/form';
import { Modal } from '../ui/Modal';

/** Create or edit a collection's name and description. */
export function CollectionForm(props: {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  title: string;
  submitLabel: string;
  initial?: { name: string; description: string | null };
  onSubmit: (values: { name: string; description: string | null }) => Promise<unknown>;
}) {
  const [name, setName] = createSignal(props.initial?.name ?? '');
  const [description, setDescription] = createSignal(props.initial?.description ?? '');
  const [error, setError] = createSignal<ApiError>();
  const [busy, setBusy] = createSignal(false);

  const submit = async (event: SubmitEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      await props.onSubmit({ name: name().trim(), description: description().trim() || null });
      props.onOpenChange(false);
    } catch (err) {
      setError(toApiError(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal open={props.open} onOpenChange={props.onOpenChange} title={props.title}>
      <form class="flex flex-col gap-5" onSubmit={submit}>
        <Show when={error() && !error()!.fields.name}>
          <p role="alert" class="rounded-xl border border-danger/30 bg-danger/5 p-3 text-sm text-ink">{error()!.message}</p>
        </Show>
        <div>
          <label for="collection-name" class={fieldStyles.label}>Name</label>
          <input id="collection-name" class={fieldStyles.input} required maxLength={200} value={name()} onInput={(e) => setName(e.currentTarget.value)} aria-invalid={error()?.fields.name ? 'true' : undefined} placeholder="Rainy Sunday films" />
          <Show when={error()?.fields.name}>
            <p class={fieldStyles.error}>{error()!.fields.name}</p>
          </Show>
        </div>
        <div>
          <label for="collection-description" class={fieldStyles.label}>Description <span class="font-normal text-ink-subtle">(optional)</span></label>
          <textarea id="collection-description" rows="3" class={fieldStyles.textarea} maxLength={2000} value={description()} onInput={(e) => setDescription(e.currentTarget.value)} />
        </div>
        <div class="flex justify-end gap-2">
          <button type="button" class={buttonStyles.ghost} onClick={() => props.onOpenChange(false)}>Cancel</button>
          <button type="submit" class={buttonStyles.primary} disabled={busy() || !name().trim()}>
            {busy() ? 'Saving…' : props.submitLabel}
          </button>
        </div>
      </form>
    </Modal>
  );
}
