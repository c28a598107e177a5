import { Show, type JSX } from 'solid-js';
import { fieldStyles } from './form';

/** A labelled form control with its hint, replaced by the error (from the form's checks or the API) when there is one. */
export function Field(props: { id: string; label: string; hint?: string; error?: string; children: JSX.Element }) {
  return (
    <div>
      <label for={props.id} class={fieldStyles.label}>{props.label}</label>
      {props.children}
      <Show when={props.hint && !props.error}><p id={`${props.id}-hint`} class={fieldStyles.hint}>{props.hint}</p></Show>
      <Show when={props.error}><p id={`${props.id}-error`} role="alert" class={fieldStyles.error}>{props.error}</p></Show>
    </div>
  );
}

/** The control's side of a Field: invalid while it has an error, described by the error or the hint. */
export const fieldAria = (id: string, error: string | undefined) => ({
  'aria-invalid': error ? ('true' as const) : undefined,
  'aria-describedby': error ? `${id}-error` : `${id}-hint`,
});
