import { createMemo, createSignal, Show } from 'solid-js';
import { posterUrlOf } from '../../api/images';
import type { TitleLike } from '../../api/types';
import { mediaTypeLabel } from '../../lib/format';
import { placeholderArt, titleScale } from '../../lib/placeholder';

/**
 * A 2:3 poster: the catalog's artwork when it has some, else a generated cover
 * (the title's gradient with the title set as typography), also used when the
 * image fails to load. Without a TMDB/IGDB key the demo catalog has no artwork,
 * so this cover is what a new server shows: it has to look meant.
 */
export function Poster(props: { title: TitleLike; alt?: string; class?: string; eager?: boolean }) {
  const [failed, setFailed] = createSignal(false);
  const url = () => (failed() ? undefined : posterUrlOf(props.title));
  const art = createMemo(() => placeholderArt(props.title.title));
  const meta = () => [mediaTypeLabel(props.title.mediaType), props.title.year].filter(Boolean).join(' · ');

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
            <span aria-hidden="true" class="self-end text-[10px] font-semibold tracking-[0.3em] text-white/40 @max-[7rem]:invisible">
              /SEEN/
            </span>
            <span aria-hidden="true" class="flex flex-col gap-[0.5em] text-white/90" style={{ 'font-size': `${titleScale(props.title.title)}cqw` }}>
              <span class="h-px w-[2.2em] bg-white/45 @max-[5rem]:hidden" />
              <span
                data-testid="poster-title"
                class="line-clamp-4 select-none text-balance font-semibold leading-[1.02] tracking-tight [overflow-wrap:anywhere]"
              >
                {props.title.title}
              </span>
            </span>
            <span aria-hidden="true" class="truncate text-[10px] font-medium uppercase tracking-[0.18em] text-white/50 @max-[7rem]:invisible">
              {meta()}
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
