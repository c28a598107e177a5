import CircleAlert from 'lucide-solid/icons/circle-alert';
import { createSignal, onCleanup, Show, type JSX } from 'solid-js';
import type { ApiError } from '../../api/client';
import { fieldStyles } from '../../components/ui/form';

export function TextField(props: {
  id: string;
  label: string;
  type?: string;
  autocomplete: string;
  value: string;
  onInput: (value: string) => void;
  error?: string;
  hint?: string;
  required?: boolean;
  autofocus?: boolean;
  trailing?: JSX.Element;
}) {
  return (
    <div>
      <div class="flex items-baseline justify-between">
        <label for={props.id} class={fieldStyles.label}>
          {props.label}
        </label>
        {props.trailing}
      </div>
      <input
        id={props.id}
        name={props.id}
        type={props.type ?? 'text'}
        autocomplete={props.autocomplete}
        required={props.required}
        autofocus={props.autofocus}
        value={props.value}
        onInput={(event) => props.onInput(event.currentTarget.value)}
        aria-invalid={props.error ? 'true' : undefined}
        aria-describedby={props.error ? `${props.id}-error` : props.hint ? `${props.id}-hint` : undefined}
        class={fieldStyles.input}
      />
      <Show when={props.error}>
        <p id={`${props.id}-error`} class={fieldStyles.error}>
          {props.error}
        </p>
      </Show>
      <Show when={!props.error && props.hint}>
        <p id={`${props.id}-hint`} class={fieldStyles.hint}>
          {props.hint}
        </p>
      </Show>
    </div>
  );
}

/** A form-level message: a sentence for people, with the code for whoever debugs it. */
export function FormAlert(props: { message: string; code?: string }) {
  return (
    <div role="alert" class="flex gap-3 rounded-xl border border-danger/30 bg-danger/5 p-3.5 text-sm animate-pop">
      <CircleAlert class="mt-0.5 size-4 shrink-0 text-danger" strokeWidth={2} />
      <div>
        <p class="text-ink">{props.message}</p>
        <Show when={props.code}>
          <p class="mt-0.5 font-mono text-xs text-ink-subtle">{props.code}</p>
        </Show>
      </div>
    </div>
  );
}

/** Seconds left of a Retry-After, counting down once a second; 0 when free to try again. */
export function createCountdown() {
  const [left, setLeft] = createSignal(0);
  let timer: ReturnType<typeof setInterval> | undefined;
  const start = (seconds: number) => {
    clearInterval(timer);
    setLeft(seconds);
    timer = setInterval(() => {
      setLeft((s) => {
        if (s <= 1) clearInterval(timer);
        return Math.max(0, s - 1);
      });
    }, 1000);
  };
  onCleanup(() => clearInterval(timer));
  return { left, start };
}

export function waitText(seconds: number): string {
  if (seconds >= 120) return `${Math.ceil(seconds / 60)} minutes`;
  return `${seconds} second${seconds === 1 ? '' : 's'}`;
}

/** What to tell the user for the errors both forms share. */
export function commonMessage(error: ApiError): string {
  switch (error.code) {
    case 'rate_limited':
      return 'Too many attempts.';
    case 'account_disabled':
      return 'This account is disabled. Ask the person who runs this /seen/ to enable it.';
    case 'network_error':
      return "Can't reach /seen/. Check that the server is running, then try again.";
    default:
      return error.message;
  }
}
