import { createSignal, Show } from 'solid-js';
import type { OwnerPinSetup } from '../../api/profiles';
import { buttonStyles } from '../ui/button';
import { fieldStyles } from '../ui/form';
import { PinInput, PIN_MIN } from './PinPad';

/**
 * From a kid's session, in a household whose owner has no PIN yet (made before a kid needed one): the account's
 * password proves a grown-up is here, and the owner's new PIN is set on the way into the adult profile.
 */
export function OwnerPinForm(props: {
  ownerName: string;
  busy?: boolean;
  error?: string;
  onSubmit: (setup: OwnerPinSetup) => void;
  onCancel: () => void;
}) {
  const [password, setPassword] = createSignal('');
  const [pin, setPin] = createSignal('');
  const ready = () => Boolean(password()) && pin().length >= PIN_MIN && !props.busy;

  const submit = (event: SubmitEvent) => {
    event.preventDefault();
    if (ready()) props.onSubmit({ password: password(), ownerPin: pin() });
  };

  return (
    <form class="flex w-full max-w-sm flex-col gap-4" onSubmit={submit} novalidate aria-label={`Set a PIN for ${props.ownerName}`}>
      <div>
        <label for="owner-setup-password" class={fieldStyles.label}>Account password</label>
        <input
          id="owner-setup-password"
          type="password"
          autocomplete="current-password"
          class={fieldStyles.input}
          value={password()}
          onInput={(e) => setPassword(e.currentTarget.value)}
        />
      </div>
      <div>
        <label for="owner-setup-pin" class={fieldStyles.label}>New PIN for {props.ownerName}</label>
        <PinInput id="owner-setup-pin" value={pin()} onInput={setPin} />
      </div>
      <Show when={props.error}>
        {(message) => (
          <p role="alert" class="text-center text-sm text-danger">
            {message()}
          </p>
        )}
      </Show>
      <div class="flex justify-end gap-3 pt-2">
        <button type="button" class={buttonStyles.ghost} onClick={() => props.onCancel()}>
          Cancel
        </button>
        <button type="submit" class={buttonStyles.primary} disabled={!ready()}>
          {props.busy ? 'Saving…' : 'Set PIN and continue'}
        </button>
      </div>
    </form>
  );
}
