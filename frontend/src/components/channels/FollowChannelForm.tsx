import Plus from 'lucide-solid/icons/plus';
import { createSignal, Show } from 'solid-js';
import { followChannel, KEEP_NEWEST_MAX, type Channel } from '../../api/channels';
import { toApiError } from '../../api/client';
import { buttonStyles } from '../ui/button';
import { fieldAria } from '../ui/Field';
import { fieldStyles } from '../ui/form';

const URL_ID = 'channel-follow-url';
const KEEP_ID = 'channel-follow-keep';

/** The form's own checks, before anything is sent: what is wrong with each field. */
export function followErrors(url: string, keep: string): Record<string, string> {
  const errors: Record<string, string> = {};
  if (!url.trim()) errors.url = 'Paste a channel link, an @handle or a channel id (UC…).';
  const n = Number(keep);
  if (keep.trim() && (!Number.isInteger(n) || n < 0 || n > KEEP_NEWEST_MAX)) {
    errors.keepNewest = `A whole number from 0 to ${KEEP_NEWEST_MAX}.`;
  }
  return errors;
}

/**
 * "Follow a channel": a YouTube link, @handle or UC… id, and optionally how many of its newest videos to
 * keep downloaded. The API reads the channel's feed before answering; its refusals show inline (under the
 * link when it names the field, else under the form).
 */
export function FollowChannelForm(props: { onFollowed: (channel: Channel) => void }) {
  const [url, setUrl] = createSignal('');
  const [keep, setKeep] = createSignal('');
  const [errors, setErrors] = createSignal<Record<string, string>>({});
  const [busy, setBusy] = createSignal(false);

  const submit = async (event: SubmitEvent) => {
    event.preventDefault();
    const found = followErrors(url(), keep());
    setErrors(found);
    if (Object.keys(found).length) return;
    setBusy(true);
    try {
      const channel = await followChannel({ url: url().trim(), ...(keep().trim() ? { keepNewest: Number(keep()) } : {}) });
      setUrl('');
      setKeep('');
      props.onFollowed(channel);
    } catch (error) {
      const apiError = toApiError(error);
      const key = apiError.fields.url ? 'url' : apiError.fields.keepNewest ? 'keepNewest' : 'form';
      // A refusal of the channel (invalid_channel) says it best in its message; a generic validation error in the field's text.
      setErrors({ [key]: key !== 'form' && apiError.code === 'validation_error' ? apiError.fields[key]! : apiError.message });
    } finally {
      setBusy(false);
    }
  };

  return (
    <form aria-label="Follow a channel" class="rounded-2xl border border-line bg-surface p-5 sm:p-6" onSubmit={(e) => void submit(e)} novalidate>
      <div class="flex flex-col gap-4 md:flex-row md:items-start">
        <div class="min-w-0 flex-1">
          <label for={URL_ID} class={fieldStyles.label}>Channel URL or @handle</label>
          <input
            id={URL_ID}
            data-testid="channel-follow-input"
            class={fieldStyles.input}
            placeholder="https://www.youtube.com/@handle"
            autocomplete="off"
            spellcheck={false}
            value={url()}
            onInput={(e) => setUrl(e.currentTarget.value)}
            {...fieldAria(URL_ID, errors().url)}
          />
          <Show when={errors().url} fallback={<p id={`${URL_ID}-hint`} class={fieldStyles.hint}>A channel link (@handle, /channel/UC…, /c/name), an @handle or a UC… id.</p>}>
            <p id={`${URL_ID}-error`} role="alert" class={fieldStyles.error}>{errors().url}</p>
          </Show>
        </div>
        <div class="md:w-52">
          <label for={KEEP_ID} class={fieldStyles.label}>Keep newest downloaded</label>
          <input
            id={KEEP_ID}
            type="number"
            inputmode="numeric"
            min="0"
            max={KEEP_NEWEST_MAX}
            step="1"
            class={fieldStyles.input}
            placeholder="0"
            value={keep()}
            onInput={(e) => setKeep(e.currentTarget.value)}
            {...fieldAria(KEEP_ID, errors().keepNewest)}
          />
          <Show when={errors().keepNewest} fallback={<p id={`${KEEP_ID}-hint`} class={fieldStyles.hint}>Optional. 0: only what you Get.</p>}>
            <p id={`${KEEP_ID}-error`} role="alert" class={fieldStyles.error}>{errors().keepNewest}</p>
          </Show>
        </div>
        <button type="submit" data-testid="channel-follow-submit" class={`${buttonStyles.primary} h-11 shrink-0 md:mt-7`} disabled={busy()}>
          <Plus class="size-4" strokeWidth={2} />
          {busy() ? 'Reading the channel…' : 'Follow'}
        </button>
      </div>
      <Show when={errors().form}>
        <p role="alert" class={fieldStyles.error}>{errors().form}</p>
      </Show>
    </form>
  );
}
