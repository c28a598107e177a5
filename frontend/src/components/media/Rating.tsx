import Star from 'lucide-solid/icons/star';
import { Show } from 'solid-js';
import { formatScoreOf5 } from '../../lib/format';

/** The community score (TMDB's 0-10 average) as a small star badge on the five-star scale, "★ 3.9/5"; nothing
 * when there is no score. */
export function ScoreBadge(props: { value: number | null | undefined; class?: string }) {
  const shown = () => formatScoreOf5(props.value);
  return (
    <Show when={shown()}>
      <span
        class={`inline-flex items-center gap-1 text-xs font-medium tabular-nums text-ink ${props.class ?? ''}`}
        role="img"
        aria-label={`Viewers rate it ${shown()} out of 5`}
        title={`Viewers rate it ${shown()} out of 5`}
      >
        <Star class="size-3 fill-accent text-accent" strokeWidth={0} aria-hidden="true" />
        {shown()}
        <span class="opacity-60">/5</span>
      </span>
    </Show>
  );
}
