import { Index, Show, type JSX } from 'solid-js';
import { fieldStyles } from '../ui/form';
import type { Choice } from './locales';

export const settingsCard = 'rounded-2xl border border-line bg-surface';

/**
 * One setting: its name and a line on what it does on the left, the control on
 * the right (stacked on a phone), and the API's message below when a save was refused.
 */
export function SettingRow(props: { id: string; label: string; hint: string; error?: string; children: JSX.Element }) {
  return (
    <div class="flex flex-col gap-3 px-5 py-5 sm:flex-row sm:items-center sm:justify-between sm:gap-8 sm:px-6">
      <div class="min-w-0 sm:max-w-md">
        <label id={`${props.id}-label`} for={props.id} class="font-medium text-ink">{props.label}</label>
        <p id={`${props.id}-hint`} class="mt-1 text-sm text-ink-muted">{props.hint}</p>
        <Show when={props.error}>
          <p id={`${props.id}-error`} role="alert" class={fieldStyles.error}>{props.error}</p>
        </Show>
      </div>
      <div class="shrink-0">{props.children}</div>
    </div>
  );
}

/** Props that tie a control to its row's label, hint and error. */
export const describedBy = (id: string, error: string | undefined) => ({
  'aria-describedby': error ? `${id}-hint ${id}-error` : `${id}-hint`,
  'aria-invalid': error ? ('true' as const) : undefined,
});

/** A native select whose empty option stands for null ("Off", "Default"). */
export function ChoiceSelect(props: {
  id: string;
  value: string | null;
  none: string;
  choices: Choice[];
  error?: string;
  onChange: (value: string | null) => void;
}) {
  return (
    <select
      id={props.id}
      class={`${fieldStyles.select} w-full min-w-56 sm:w-64`}
      value={props.value ?? ''}
      onChange={(e) => props.onChange(e.currentTarget.value || null)}
      {...describedBy(props.id, props.error)}
    >
      <option value="">{props.none}</option>
      {/* Index: options keep their DOM when the list is rebuilt after a save, so a pick in progress is not lost */}
      <Index each={props.choices}>{(choice) => <option value={choice().value}>{choice().label}</option>}</Index>
    </select>
  );
}

/** An on/off switch (a button with role switch: Space and Enter toggle it). */
export function Toggle(props: { id: string; checked: boolean; error?: string; onChange: (checked: boolean) => void }) {
  return (
    <button
      id={props.id}
      type="button"
      role="switch"
      aria-checked={props.checked}
      aria-labelledby={`${props.id}-label`}
      {...describedBy(props.id, props.error)}
      onClick={() => props.onChange(!props.checked)}
      class="relative inline-flex h-7 w-12 items-center rounded-full border transition-colors duration-200 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-accent"
      classList={{ 'border-accent/50 bg-accent/80': props.checked, 'border-line-strong bg-raised': !props.checked }}
    >
      <span
        aria-hidden="true"
        class="inline-block size-5 rounded-full bg-white shadow-float transition-transform duration-200 ease-out-soft"
        classList={{ 'translate-x-6': props.checked, 'translate-x-1': !props.checked }}
      />
    </button>
  );
}
