import Star from 'lucide-solid/icons/star';
import { Show } from 'solid-js';

/** The community score (0-10) as a small star badge; nothing when there is no score. */
export function ScoreBadge(props: { value: number | null | undefined; class?: string }) {
  return (
    <Show when={props.value != null && props.value > 0}>
      <span
        class={`inline-flex items-center gap-1 text-xs font-medium tabular-nums text-ink ${props.class ?? ''}`}
        aria-label={`Rated ${props.value!.toFixed(1)} out of 10`}
      >
        <Star class="size-3 fill-accent text-accent" strokeWidth={0} aria-hidden="true" />
        {props.value!.toFixed(1)}
      </span>
    </Show>
  );
}
