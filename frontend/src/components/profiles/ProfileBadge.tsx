import { A } from '@solidjs/router';
import { Show } from 'solid-js';
import { PROFILES_PATH } from '../../navigation';
import { useProfiles } from '../../stores/profiles';
import { ProfileAvatar } from './ProfileAvatar';

/** Who is watching, in the top bar (a household of several, or any kid profile); a link to switch. */
export function ProfileBadge() {
  const profiles = useProfiles();
  const shown = () => {
    const current = profiles.current();
    return current && (profiles.isKid() || profiles.profiles().length > 1) ? current : undefined;
  };
  return (
    <Show when={shown()}>
      {(profile) => (
        <A
          href={PROFILES_PATH}
          data-testid="profile-badge"
          aria-label={`Watching as ${profile().name}${profiles.isKid() ? ' (kid profile)' : ''}. Switch profile`}
          title="Switch profile"
          class="hidden h-9 items-center gap-2 rounded-full border border-line bg-surface pl-1 pr-3 text-sm text-ink-muted transition-colors hover:border-line-strong hover:text-ink sm:flex"
        >
          <ProfileAvatar profile={profile()} size="sm" />
          <span class="max-w-32 truncate">{profile().name}</span>
          <Show when={profiles.isKid()}>
            <span class="rounded-full bg-secondary-soft px-2 py-0.5 text-xs font-medium text-ink">Kids</span>
          </Show>
        </A>
      )}
    </Show>
  );
}
