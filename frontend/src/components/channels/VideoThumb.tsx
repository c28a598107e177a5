import { createSignal, Show } from 'solid-js';
import { placeholderArt } from '../../lib/placeholder';

/** A 16:9 video thumbnail; without one (or when it fails) the title on its generated colours. */
export function VideoThumb(props: { src: string | null | undefined; title: string; class?: string }) {
  const [failed, setFailed] = createSignal(false);
  return (
    <span
      aria-hidden="true"
      class={`relative block aspect-video w-full overflow-hidden bg-raised ${props.class ?? ''}`}
      style={{ background: props.src && !failed() ? undefined : placeholderArt(props.title).background }}
    >
      <Show
        when={props.src && !failed()}
        fallback={
          <span class="absolute inset-0 flex items-end p-[6%]">
            <span class="line-clamp-2 text-balance text-sm font-semibold leading-tight tracking-tight text-white/90">{props.title}</span>
          </span>
        }
      >
        <img src={props.src!} alt="" loading="lazy" decoding="async" class="size-full object-cover" onError={() => setFailed(true)} />
      </Show>
    </span>
  );
}
