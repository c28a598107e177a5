import Delete from 'lucide-solid/icons/delete';
import { createEffect, createSignal, For, on, onMount, Show } from 'solid-js';
import { fieldStyles } from '../ui/form';

export const PIN_MIN = 4;
export const PIN_MAX = 6;

/** Keeps the digits of what was typed or pasted, at most PIN_MAX of them. */
export const pinDigits = (raw: string) => raw.replace(/\D/g, '').slice(0, PIN_MAX);

const KEYS = ['1', '2', '3', '4', '5', '6', '7', '8', '9'] as const;
const key =
  'grid h-14 place-items-center rounded-2xl border border-line bg-raised text-xl font-medium text-ink transition-colors hover:bg-hover focus-visible:outline-none focus-visible:ring-4 focus-visible:ring-accent/25 disabled:opacity-50';

const submitKey =
  'grid h-14 place-items-center rounded-2xl bg-accent text-base font-medium text-on-accent transition-colors hover:bg-accent/85 focus-visible:outline-none focus-visible:ring-4 focus-visible:ring-accent/25 disabled:cursor-not-allowed disabled:opacity-40';

/**
 * A PIN pad: a numeric field (type, paste, Enter) and big on-screen keys for touch. Submits 4–6 digits;
 * Escape cancels. `error` is shown under the dots and clears the digits for the next try.
 */
export function PinPad(props: {
  label: string;
  onSubmit: (pin: string) => void;
  onCancel?: () => void;
  error?: string;
  busy?: boolean;
  /** Seconds until trying again is allowed (a throttled PIN); 0 or undefined when free. */
  lockedFor?: number;
}) {
  const [pin, setPin] = createSignal('');
  let input: HTMLInputElement | undefined;
  const locked = () => (props.lockedFor ?? 0) > 0;
  const disabled = () => Boolean(props.busy) || locked();
  const canSubmit = () => pin().length >= PIN_MIN && !disabled();

  const set = (next: string) => {
    setPin(pinDigits(next));
    if (input) input.value = pin();
  };
  const submit = () => {
    if (!canSubmit()) return;
    const value = pin();
    set('');
    props.onSubmit(value);
  };
  onMount(() => input?.focus());
  // After a refused PIN (or when a throttle ends) the field is ready for the next try.
  createEffect(on(() => [props.error, disabled()] as const, ([, off]) => !off && input?.focus(), { defer: true }));

  const press = (digit: string) => {
    set(pin() + digit);
    input?.focus();
  };

  return (
    <form
      class="flex w-full max-w-xs flex-col items-center gap-5"
      onSubmit={(event) => {
        event.preventDefault();
        submit();
      }}
      onKeyDown={(event) => {
        if (event.key === 'Escape' && props.onCancel) {
          event.preventDefault();
          props.onCancel();
        }
      }}
    >
      <label for="profile-pin" class="sr-only">
        {props.label}
      </label>
      <input
        ref={input}
        id="profile-pin"
        type="password"
        inputmode="numeric"
        autocomplete="off"
        maxLength={PIN_MAX}
        autofocus
        disabled={disabled()}
        value={pin()}
        onInput={(event) => set(event.currentTarget.value)}
        aria-invalid={props.error ? 'true' : undefined}
        aria-describedby={props.error ? 'profile-pin-error' : undefined}
        class="sr-only"
      />
      <div aria-hidden="true" class="flex h-6 items-center gap-3" onClick={() => input?.focus()}>
        <For each={Array.from({ length: PIN_MAX }, (_, i) => i)}>
          {(slot) => (
            <span
              class="size-3.5 rounded-full border-2 transition-colors"
              classList={{
                'border-accent bg-accent': slot < pin().length,
                'border-line-strong': slot >= pin().length && slot < PIN_MIN,
                'border-line border-dashed': slot >= pin().length && slot >= PIN_MIN,
              }}
            />
          )}
        </For>
      </div>
      <p role="status" aria-live="polite" class="min-h-5 text-center text-sm">
        <Show when={props.error} fallback={<span class="sr-only">{pin().length} digits entered</span>}>
          <span id="profile-pin-error" class="text-danger">
            {props.error}
          </span>
        </Show>
      </p>
      <div class="grid w-full grid-cols-3 gap-3">
        <For each={KEYS}>
          {(digit) => (
            <button type="button" class={key} disabled={disabled()} onClick={() => press(digit)}>
              {digit}
            </button>
          )}
        </For>
        <button type="button" class={`${key} text-sm`} aria-label="Delete last digit" disabled={disabled() || !pin()} onClick={() => set(pin().slice(0, -1))}>
          <Delete class="size-5" strokeWidth={1.75} />
        </button>
        <button type="button" class={key} disabled={disabled()} onClick={() => press('0')}>
          0
        </button>
        <button type="submit" class={submitKey} disabled={!canSubmit()}>
          OK
        </button>
      </div>
      <Show when={props.onCancel}>
        <button type="button" class="text-sm text-ink-muted hover:text-ink hover:underline" onClick={() => props.onCancel?.()}>
          Back to profiles
        </button>
      </Show>
    </form>
  );
}

/** A PIN typed into a form's field: digits only, at most PIN_MAX, hidden like a password. */
export function PinInput(props: {
  id: string;
  value: string;
  onInput: (pin: string) => void;
  placeholder?: string;
  disabled?: boolean;
  invalid?: boolean;
  describedBy?: string;
}) {
  return (
    <input
      id={props.id}
      type="password"
      inputmode="numeric"
      autocomplete="new-password"
      maxLength={PIN_MAX}
      class={fieldStyles.input}
      value={props.value}
      disabled={props.disabled}
      placeholder={props.placeholder ?? '4–6 digits'}
      aria-invalid={props.invalid ? 'true' : undefined}
      aria-describedby={props.describedBy}
      onInput={(e) => {
        const pin = pinDigits(e.currentTarget.value);
        props.onInput(pin);
        e.currentTarget.value = pin;
      }}
    />
  );
}
