import { createSignal, For, Show } from 'solid-js';
import { toApiError } from '../../api/client';
import type { MediaServer, MediaServerInput, MediaServerKind, MediaServerPatch } from '../../api/mediaServers';
import { ServerLogo, serverKindName } from '../mediaservers/ServerLogo';
import { buttonStyles } from '../ui/button';
import { Field, fieldAria } from '../ui/Field';
import { fieldStyles } from '../ui/form';
import { createBody, draftOf, KIND_FIELDS, patchBody, type MediaServerDraft } from './mediaServers';

const KINDS: MediaServerKind[] = ['jellyfin', 'plex'];
/** Fields the form shows errors under; the API's errors for anything else go to the form's own line. */
const PLACED = new Set(['name', 'url', 'token']);

/** Jellyfin | Plex, as one segmented control of native radios (arrow keys move between them). */
function KindPicker(props: { name: string; value: MediaServerKind; onChange: (kind: MediaServerKind) => void }) {
  return (
    <fieldset>
      <legend class={fieldStyles.label}>Server</legend>
      <div class="grid grid-cols-2 gap-1 rounded-full border border-line bg-raised p-1">
        <For each={KINDS}>
          {(kind) => (
            <label class="flex h-9 cursor-pointer items-center justify-center gap-2 rounded-full text-sm text-ink-muted transition-colors duration-200 hover:text-ink has-checked:bg-surface has-checked:text-ink has-checked:shadow-float has-focus-visible:ring-2 has-focus-visible:ring-accent/60">
              <input type="radio" name={props.name} value={kind} class="sr-only" checked={props.value === kind} onChange={() => props.onChange(kind)} />
              <ServerLogo kind={kind} class="size-4" />
              {serverKindName[kind]}
            </label>
          )}
        </For>
      </div>
    </fieldset>
  );
}

/** A checkbox with a line that says what it means. */
function Check(props: { id: string; label: string; description: string; checked: boolean; onChange: (checked: boolean) => void }) {
  return (
    <div class="flex items-start gap-3">
      <input id={props.id} type="checkbox" class="mt-0.5 size-4 shrink-0 accent-accent" aria-describedby={`${props.id}-hint`} checked={props.checked} onChange={(e) => props.onChange(e.currentTarget.checked)} />
      <div>
        <label for={props.id} class="text-sm font-medium text-ink">{props.label}</label>
        <p id={`${props.id}-hint`} class="mt-0.5 text-xs leading-relaxed text-ink-subtle">{props.description}</p>
      </div>
    </div>
  );
}

type SaveProps =
  | { server?: undefined; onSave: (body: MediaServerInput) => Promise<unknown> }
  | { server: MediaServer; onSave: (body: MediaServerPatch) => Promise<unknown> };

/**
 * Add or edit a Jellyfin or Plex server. The token is write-only: the field starts empty (editing keeps the
 * stored one unless a new one is typed) and is cleared after every attempt. Errors come from the form's own
 * checks or the API's fields; a refusal without fields (no secrets key, say) shows its message.
 */
export function MediaServerForm(props: SaveProps & { onCancel: () => void }) {
  const creating = !props.server;
  const prefix = `media-server-${props.server?.id ?? 'new'}`;
  const [draft, setDraft] = createSignal<MediaServerDraft>(draftOf(props.server));
  const [errors, setErrors] = createSignal<Record<string, string>>({});
  const [busy, setBusy] = createSignal(false);
  const set = <K extends keyof MediaServerDraft>(key: K, value: MediaServerDraft[K]) => setDraft((d) => ({ ...d, [key]: value }));
  const kind = () => KIND_FIELDS[draft().kind];

  /** Checks the draft and sends it, unless the form's own checks found something first. */
  const send = async () => {
    if (props.server) {
      const { body, errors: found } = patchBody(props.server, draft());
      setErrors(found);
      if (body) await props.onSave(body);
      return;
    }
    const { body, errors: found } = createBody(draft());
    setErrors(found);
    if (body) await props.onSave(body);
  };

  const submit = async (event: SubmitEvent) => {
    event.preventDefault();
    setBusy(true);
    try {
      await send();
    } catch (error) {
      const apiError = toApiError(error);
      const fields = apiError.fields;
      const unplaced = !Object.keys(fields).some((key) => PLACED.has(key));
      setErrors({ ...fields, ...(unplaced ? { form: apiError.message } : {}) });
    } finally {
      set('token', ''); // never kept around, saved or not
      setBusy(false);
    }
  };

  const tokenHint = () =>
    creating ? kind().tokenHint : `${props.server!.tokenSet ? 'Leave empty to keep the current one.' : 'No token stored yet.'} ${kind().tokenHint}`;

  return (
    <form aria-label={creating ? 'New media server' : `Edit ${props.server!.name}`} class="flex flex-col gap-5" onSubmit={(e) => void submit(e)} novalidate>
      <Show when={creating}>
        <KindPicker name={`${prefix}-kind`} value={draft().kind} onChange={(k) => set('kind', k)} />
      </Show>
      <Field id={`${prefix}-name`} label="Name" hint="How /seen/ names it: “On Living room” when there are several." error={errors().name}>
        <input id={`${prefix}-name`} class={fieldStyles.input} placeholder="Living room" value={draft().name} onInput={(e) => set('name', e.currentTarget.value)} {...fieldAria(`${prefix}-name`, errors().name)} />
      </Field>
      <Field id={`${prefix}-url`} label="URL" hint="The address this /seen/ reaches it at." error={errors().url}>
        <input id={`${prefix}-url`} type="url" class={fieldStyles.input} spellcheck={false} placeholder={kind().url} value={draft().url} onInput={(e) => set('url', e.currentTarget.value)} {...fieldAria(`${prefix}-url`, errors().url)} />
      </Field>
      <Field id={`${prefix}-token`} label={kind().token} hint={tokenHint()} error={errors().token}>
        <input id={`${prefix}-token`} type="password" autocomplete="off" spellcheck={false} class={fieldStyles.input} value={draft().token} onInput={(e) => set('token', e.currentTarget.value)} {...fieldAria(`${prefix}-token`, errors().token)} />
      </Field>
      <div class="flex flex-col gap-4 rounded-2xl border border-line bg-raised/50 p-4">
        <Check
          id={`${prefix}-private`}
          label="On my home network"
          description="Lets /seen/ reach a LAN or loopback address (192.168.x.x, jellyfin.lan). Without it such addresses are refused, so a pasted link can't reach into your network."
          checked={draft().allowPrivate}
          onChange={(on) => set('allowPrivate', on)}
        />
        <Check
          id={`${prefix}-enabled`}
          label="Sync every 6 hours"
          description="Off: the server is only read when you press Sync now."
          checked={draft().enabled}
          onChange={(on) => set('enabled', on)}
        />
      </div>
      <Show when={errors().form}><p role="alert" class={fieldStyles.error}>{errors().form}</p></Show>
      <div class="flex justify-end gap-3">
        <button type="button" class={buttonStyles.ghost} onClick={() => props.onCancel()}>Cancel</button>
        <button type="submit" class={buttonStyles.primary} disabled={busy()}>{busy() ? 'Saving…' : creating ? 'Add server' : 'Save'}</button>
      </div>
    </form>
  );
}
