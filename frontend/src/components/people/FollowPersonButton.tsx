import UserRoundCheck from 'lucide-solid/icons/user-round-check';
import UserRoundPlus from 'lucide-solid/icons/user-round-plus';
import { Show } from 'solid-js';
import { buttonStyles } from '../ui/button';

/** Follow / Following: a pressed toggle (the page owns the state and the optimistic update). */
export function FollowPersonButton(props: { name: string; following: boolean; onToggle: () => void }) {
  return (
    <button
      type="button"
      class={props.following ? `${buttonStyles.secondary} h-11 border-accent/40 bg-accent-soft` : `${buttonStyles.primary} h-11 px-6`}
      aria-pressed={props.following}
      title={props.following ? `Stop following ${props.name}` : `Their new titles on your calendar and dashboard`}
      onClick={() => props.onToggle()}
    >
      <Show when={props.following} fallback={<UserRoundPlus class="size-4" strokeWidth={2} />}>
        <UserRoundCheck class="size-4 text-accent" strokeWidth={2} />
      </Show>
      {props.following ? 'Following' : 'Follow'}
    </button>
  );
}
