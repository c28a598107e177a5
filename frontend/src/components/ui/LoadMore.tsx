import { Show } from 'solid-js';
import { buttonStyles } from './button';

/** "Load more" under a cursor-paged list: shown while there is a next page, busy while it loads. */
export function LoadMore(props: { when: unknown; loading: boolean; onLoad: () => void; class?: string }) {
  return (
    <Show when={props.when}>
      <div class={`flex justify-center ${props.class ?? 'mt-8'}`}>
        <button type="button" class={buttonStyles.secondary} disabled={props.loading} onClick={() => props.onLoad()}>
          {props.loading ? 'Loading…' : 'Load more'}
        </button>
      </div>
    </Show>
  );
}
