import { createSignal, Show } from 'solid-js';
import type { components } from '../../api/schema';
import { formatRelative } from '../../lib/format';
import { buttonStyles } from '../ui/button';
import { fieldStyles } from '../ui/form';
import { describedBy } from './SettingRow';

type SecretState = components['schemas']['SecretState'];

/**
 * A write-only secret: the API only says whether one is stored, so this shows
 * "Set" / "Not set" and offers a field to replace it and a button to clear it.
 * What is typed is sent once and then wiped from the field; nothing is ever read back.
 * `unavailable`: why no key can be stored on this server at all, said beside the field before anyone types.
 */
export function SecretField(props: {
  id: string;
  label: string;
  hint: string;
  state: SecretState;
  error?: string;
  unavailable?: string;
  busy: boolean;
  onSave: (value: string) => Promise<boolean>;
  onClear: () => void;
}) {
  const [value, setValue] = createSignal('');
  const aria = () =>
    props.unavailable && !props.error
      ? { 'aria-describedby': `${props.id}-hint ${props.id}-unavailable` }
      : describedBy(props.id, props.error);
  const submit = async (event: SubmitEvent) => {
    event.preventDefault();
    const secret = value().trim();
    if (!secret) return;
    if (await props.onSave(secret)) setValue('');
  };
  return (
    <form class="flex flex-col gap-3 px-5 py-5 sm:px-6" onSubmit={submit}>
      <div class="flex flex-wrap items-center justify-between gap-3">
        <div>
          <p id={`${props.id}-name`} class="font-medium text-ink">{props.label}</p>
          <p id={`${props.id}-hint`} class="mt-1 text-sm text-ink-muted">{props.hint}</p>
        </div>
        <span
          data-testid={`${props.id}-state`}
          class="inline-flex items-center gap-2 rounded-full border px-3 py-1 text-xs font-medium"
          classList={{ 'border-ok/40 bg-ok/10 text-ok': props.state.set, 'border-line-strong text-ink-subtle': !props.state.set }}
        >
          {props.state.set ? 'Set' : 'Not set'}
          <Show when={props.state.set && props.state.updatedAt}>
            <span class="font-normal text-ink-subtle">· {formatRelative(props.state.updatedAt)}</span>
          </Show>
        </span>
      </div>
      <div class="flex flex-col gap-2 sm:flex-row sm:items-center">
        <label for={props.id} class="sr-only">{props.state.set ? `Replace ${props.label}` : props.label}</label>
        <input
          id={props.id}
          type="password"
          autocomplete="off"
          spellcheck={false}
          class={`${fieldStyles.input} sm:flex-1`}
          placeholder={props.state.set ? 'Type a new value to replace it' : 'Paste it here'}
          value={value()}
          disabled={!!props.unavailable}
          onInput={(e) => setValue(e.currentTarget.value)}
          {...aria()}
        />
        <div class="flex gap-2">
          <button type="submit" class={`${buttonStyles.secondary} h-11`} disabled={props.busy || !!props.unavailable || !value().trim()}>
            {props.state.set ? 'Replace' : 'Save'}
          </button>
          <Show when={props.state.set}>
            <button type="button" class={`${buttonStyles.ghost} h-11 hover:text-danger`} disabled={props.busy} aria-label={`Clear ${props.label}`} onClick={() => props.onClear()}>
              Clear
            </button>
          </Show>
        </div>
      </div>
      <Show when={props.error}>
        <p id={`${props.id}-error`} role="alert" class={fieldStyles.error}>{props.error}</p>
      </Show>
      <Show when={props.unavailable && !props.error}>
        <p id={`${props.id}-unavailable`} class={fieldStyles.error}>{props.unavailable}</p>
      </Show>
    </form>
  );
}
