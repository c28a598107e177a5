import { LOGIN_PATH, PROFILES_PATH } from '../../navigation';
import { Menu } from '@ark-ui/solid/menu';
import { useNavigate } from '@solidjs/router';
import LogOut from 'lucide-solid/icons/log-out';
import Settings from 'lucide-solid/icons/settings';
import ShieldCheck from 'lucide-solid/icons/shield-check';
import ArrowLeftRight from 'lucide-solid/icons/arrow-left-right';
import UsersRound from 'lucide-solid/icons/users-round';
import { Show } from 'solid-js';
import { Portal } from 'solid-js/web';
import { colorOf } from '../../api/profiles';
import { useProfiles } from '../../stores/profiles';
import { useSession } from '../../stores/session';
import { showToast } from '../../stores/toasts';

export function initialsOf(name: string): string {
  const parts = name.split(/[\s@._-]+/).filter(Boolean);
  return ((parts[0]?.[0] ?? '?') + (parts[1]?.[0] ?? '')).toUpperCase();
}

const item =
  'flex h-9 cursor-pointer items-center gap-3 rounded-lg px-2.5 text-sm text-ink-muted outline-none transition-colors data-[highlighted]:bg-hover data-[highlighted]:text-ink';

/** The avatar in the top bar: who is signed in, who they follow, settings, sign out. */
export function ProfileMenu() {
  const session = useSession();
  const profiles = useProfiles();
  const navigate = useNavigate();
  const profile = () => profiles.current();
  const name = () => profile()?.name || session.user()?.displayName || session.user()?.email || '';
  const adult = () => !profiles.isKid();

  const onSelect = async (value: string) => {
    if (value === 'logout') {
      await session.logout();
      navigate(LOGIN_PATH, { replace: true });
      showToast({ tone: 'info', title: 'Signed out', body: 'See you next time.' });
    } else {
      navigate(value);
    }
  };

  return (
    <Menu.Root onSelect={(details) => void onSelect(details.value)} positioning={{ placement: 'bottom-end', gutter: 8 }}>
      <Menu.Trigger
        aria-label={`Account: ${name()}`}
        class="grid size-9 shrink-0 place-items-center rounded-full bg-linear-to-br from-accent/80 to-secondary text-xs font-semibold text-white ring-1 ring-white/10 transition-[box-shadow] hover:ring-2 hover:ring-accent/40"
        style={profile() ? { background: colorOf(profile()!) } : undefined}
      >
        {initialsOf(name())}
      </Menu.Trigger>
      <Portal>
        <Menu.Positioner>
          <Menu.Content class="z-50 w-64 rounded-2xl border border-line-strong bg-raised/95 p-1.5 shadow-float outline-none backdrop-blur-xl data-[state=open]:animate-pop">
            <div class="px-2.5 pb-2.5 pt-2">
              <p class="truncate text-sm font-medium text-ink">{profile()?.name || session.user()?.displayName || 'Signed in'}</p>
              <p class="truncate text-xs text-ink-subtle">{session.user()?.email}</p>
            </div>
            <Menu.Separator class="mx-1 my-1 border-line" />
            <Show when={profiles.profiles().length > 0}>
              <Menu.Item value={PROFILES_PATH} class={item}>
                <ArrowLeftRight class="size-4" strokeWidth={1.75} />
                Switch profile
              </Menu.Item>
            </Show>
            <Menu.Item value="/app/following" class={item}>
              <UsersRound class="size-4" strokeWidth={1.75} />
              Following
            </Menu.Item>
            <Show when={adult()}>
              <Menu.Item value="/app/settings" class={item}>
                <Settings class="size-4" strokeWidth={1.75} />
                Settings
              </Menu.Item>
            </Show>
            <Show when={profiles.actsAsOwner() && session.user()?.role === 'admin'}>
              <Menu.Item value="/app/admin" class={item}>
                <ShieldCheck class="size-4" strokeWidth={1.75} />
                Admin
              </Menu.Item>
            </Show>
            <Menu.Separator class="mx-1 my-1 border-line" />
            <Menu.Item value="logout" class={item}>
              <LogOut class="size-4" strokeWidth={1.75} />
              Sign out
            </Menu.Item>
          </Menu.Content>
        </Menu.Positioner>
      </Portal>
    </Menu.Root>
  );
}
