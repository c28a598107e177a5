import Lock from 'lucide-solid/icons/lock';
import { Show } from 'solid-js';
import { colorOf, initialOf, type Profile } from '../../api/profiles';

const sizes = {
  sm: 'size-8 rounded-lg text-sm',
  md: 'size-12 rounded-xl text-lg',
  lg: 'size-28 rounded-2xl text-5xl sm:size-36 sm:text-6xl',
} as const;

/** A profile's square: its colour and initial, a lock in the corner when it has a PIN. Decorative (name it nearby). */
export function ProfileAvatar(props: { profile: Pick<Profile, 'name' | 'color' | 'hasPin'>; size?: keyof typeof sizes; showLock?: boolean }) {
  return (
    <span
      aria-hidden="true"
      class={`relative grid shrink-0 place-items-center font-semibold text-white shadow-float ring-1 ring-white/10 ${sizes[props.size ?? 'md']}`}
      style={{ 'background-color': colorOf(props.profile) }}
    >
      <span class="drop-shadow-sm">{initialOf(props.profile.name)}</span>
      <Show when={props.showLock && props.profile.hasPin}>
        <span class="absolute -bottom-1.5 -right-1.5 grid size-7 place-items-center rounded-full border border-line-strong bg-raised text-ink shadow-float">
          <Lock class="size-3.5" strokeWidth={2} />
        </span>
      </Show>
    </span>
  );
}
