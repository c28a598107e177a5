import { Show } from 'solid-js';
import type { components } from '../../api/schema';
import { formatStars, formatStarsOf5 } from '../../lib/format';

export type Reason = components['schemas']['Reason'];

/** The reason's words without the stars the API appends to "Because you rated …" (they are drawn here). */
export const reasonWords = (reason: Reason) => (reason.refRating != null ? reason.text.replace(/\s*[★½]+$/u, '') : reason.text);

/** One reason in words; a rating reason shows the user's rating as stars out of five ("4 of 5" to a reader). */
export function ReasonText(props: { reason: Reason }) {
  return (
    <span>
      {reasonWords(props.reason)}
      <Show when={props.reason.refRating}>
        {(rating) => (
          <>
            {' '}
            <span role="img" class="whitespace-nowrap text-accent" aria-label={`${formatStarsOf5(rating())} stars`} title={`${formatStarsOf5(rating())} stars`}>
              {formatStars(rating())}
            </span>
          </>
        )}
      </Show>
    </span>
  );
}
