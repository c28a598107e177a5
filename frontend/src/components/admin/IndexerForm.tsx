import { createSignal, Show } from 'solid-js';
import { toApiError } from '../../api/client';
import type { Indexer, IndexerInput } from '../../api/types';
import { buttonStyles } from '../ui/button';
import { Field, fieldAria as aria } from '../ui/Field';
import { fieldStyles } from '../ui/form';
import { draftOf, indexerBody, type IndexerDraft } from './indexers';

/**
 * Add or edit an indexer. The API key is write-only: the field starts empty
 * (editing keeps the stored key unless a new one is typed) and is never filled
 * from the server. Errors come from the form's own checks or the API's fields.
 */
export function IndexerForm(props: { indexer?: Indexer; onSave: (body: IndexerInput) => Promise<unknown>; onCancel: () => void }) {
  const creating = !props.indexer;
  const prefix = `indexer-${props.indexer?.id ?? 'new'}`;
  const [draft, setDraft] = createSignal<IndexerDraft>(draftOf(props.indexer));
  const [errors, setErrors] = createSignal<Record<string, string>>({});
  const [busy, setBusy] = createSignal(false);
  const set = <K extends keyof IndexerDraft>(key: K, value: IndexerDraft[K]) => setDraft((d) => ({ ...d, [key]: value }));

  const submit = async (event: SubmitEvent) => {
    event.preventDefault();
    const { body, errors: found } = indexerBody(draft(), creating);
    setErrors(found);
    if (!body) return;
    setBusy(true);
    try {
      await props.onSave(body);
    } catch (error) {
      const apiError = toApiError(error);
      setErrors(Object.keys(apiError.fields).length ? apiError.fields : { form: apiError.message });
    } finally {
      set('apiKey', ''); // never kept around, saved or not
      setBusy(false);
    }
  };

  return (
    <form aria-label={creating ? 'New indexer' : `Edit ${props.indexer!.name}`} class="flex flex-col gap-4 rounded-2xl border border-line-strong bg-surface p-5" onSubmit={(e) => void submit(e)} novalidate>
      <div class="grid gap-4 sm:grid-cols-2">
        <Field id={`${prefix}-name`} label="Name" error={errors().name}>
          <input id={`${prefix}-name`} class={fieldStyles.input} value={draft().name} onInput={(e) => set('name', e.currentTarget.value)} {...aria(`${prefix}-name`, errors().name)} />
        </Field>
        <Field id={`${prefix}-url`} label="Torznab URL" hint="Prowlarr: http://host:9696/{id}/api · Jackett: …/api/v2.0/indexers/all/results/torznab" error={errors().url}>
          <input id={`${prefix}-url`} type="url" class={fieldStyles.input} spellcheck={false} value={draft().url} onInput={(e) => set('url', e.currentTarget.value)} {...aria(`${prefix}-url`, errors().url)} />
        </Field>
        <Field
          id={`${prefix}-key`}
          label={creating ? 'API key' : 'New API key'}
          hint={creating ? 'Stored encrypted; it is never shown again.' : props.indexer!.apiKeySet ? 'A key is stored. Leave empty to keep it.' : 'No key stored yet.'}
          error={errors().apiKey}
        >
          <input id={`${prefix}-key`} type="password" autocomplete="off" spellcheck={false} class={fieldStyles.input} value={draft().apiKey} onInput={(e) => set('apiKey', e.currentTarget.value)} {...aria(`${prefix}-key`, errors().apiKey)} />
        </Field>
        <Field id={`${prefix}-categories`} label="Categories" hint="Torznab category numbers, e.g. 2000 (movies), 5000 (TV). Empty: the indexer's defaults." error={errors().categories}>
          <input id={`${prefix}-categories`} class={fieldStyles.input} inputmode="numeric" value={draft().categories} onInput={(e) => set('categories', e.currentTarget.value)} {...aria(`${prefix}-categories`, errors().categories)} />
        </Field>
      </div>
      <label class="inline-flex items-center gap-2 text-sm text-ink">
        <input type="checkbox" class="size-4 accent-accent" checked={draft().enabled} onChange={(e) => set('enabled', e.currentTarget.checked)} />
        Enabled (searched when someone clicks Get)
      </label>
      <Show when={errors().form}><p role="alert" class={fieldStyles.error}>{errors().form}</p></Show>
      <div class="flex justify-end gap-3">
        <button type="button" class={buttonStyles.ghost} onClick={() => props.onCancel()}>Cancel</button>
        <button type="submit" class={buttonStyles.primary} disabled={busy()}>{busy() ? 'Saving…' : creating ? 'Add indexer' : 'Save'}</button>
      </div>
    </form>
  );
}
