import { createMemo, createSignal, Show } from 'solid-js';
import { posterUrlOf } from '../../api/images';
import type { TitleLike } from '../../api/types';
import { placeholderArt } from '../../lib/placeholder';

/**
 * A 2:3 poster: the artwork when there is some, else generated art (gradient
 * + initials) derived from the title, also used when the image fails to load.
 */
export function Poster(props: { title: TitleLike; alt?: string; class?: string; eager?: boolean }) {
  const [failed, setFailed] = createSignal(false);
  const url = () => (failed() ? undefined : posterUrlOf(props.title));
  const art = createMemo(() => placeholderArt(props.title.title));

  return (
    <div
      class={`relative aspect-[2/3] w-full overflow-hidden rounded-xl bg-raised ring-1 ring-inset ring-white/5 ${props.class ?? ''}`}
    >
      <Show
        when={url()}
        fallback={
          <div
            data-testid="poster-placeholder"
            role={props.alt ? 'img' : undefined}
            aria-label={props.alt}
            aria-hidden={props.alt ? undefined : 'true'}
            class="@container absolute inset-0 flex flex-col justify-between p-[9%]"
            style={{ background: art().background }}
          >
            <span aria-hidden="true" class="text-[10px] font-semibold tracking-[0.3em] text-white/35 @max-[7rem]:invisible">
              /SEEN/
            </span>
            <span
              aria-hidden="true"
              class="select-none text-[clamp(1.75rem,28cqw,4.5rem)] font-semibold leading-none tracking-tight text-white/90"
            >
              {art().initials}
            </span>
            <span aria-hidden="true" class="line-clamp-2 text-[11px] font-medium leading-snug text-white/60 @max-[7rem]:invisible">
              {props.title.title}
            </span>
          </div>
        }
      >
        {(src) => (
          <img
            src={src()}
            alt={props.alt ?? ''}
            loading={props.eager ? 'eager' : 'lazy'}
            decoding="async"
            onError={() => setFailed(true)}
            class="absolute inset-0 size-full object-cover"
          />
        )}
      </Show>
    </div>
  );
}
