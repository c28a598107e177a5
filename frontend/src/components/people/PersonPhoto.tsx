import { createSignal, Show } from 'solid-js';
import { placeholderArt } from '../../lib/placeholder';

/**
 * A round portrait: the profile photo, or the name's initials on its generated colours when there
 * is none (or it fails to load). Decorative by default: the name is always written next to it.
 */
export function PersonPhoto(props: { name: string; url?: string | null; class?: string; alt?: string }) {
  const [failed, setFailed] = createSignal(false);
  const art = () => placeholderArt(props.name);
  return (
    <span
      class={`relative block aspect-square shrink-0 overflow-hidden rounded-full bg-raised ring-1 ring-inset ring-white/10 ${props.class ?? ''}`}
      style={{ background: props.url && !failed() ? undefined : art().background }}
      role={props.alt ? 'img' : undefined}
      aria-label={props.alt}
      aria-hidden={props.alt ? undefined : 'true'}
    >
      <Show
        when={props.url && !failed()}
        fallback={
          <span data-testid="person-initials" class="@container absolute inset-0 grid place-items-center font-semibold tracking-tight text-white/90">
            <span class="text-[32cqw]">{art().initials}</span>
          </span>
        }
      >
        <img src={props.url!} alt="" loading="lazy" decoding="async" class="size-full object-cover" onError={() => setFailed(true)} />
      </Show>
    </span>
  );
}
