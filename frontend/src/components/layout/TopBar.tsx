import Menu from 'lucide-solid/icons/menu';
import { ProfileBadge } from '../profiles/ProfileBadge';
import { buttonStyles } from '../ui/button';
import { NotificationBell } from './NotificationBell';
import { ProfileMenu } from './ProfileMenu';
import { SearchField } from './SearchField';
import { StatusIndicator } from './StatusIndicator';
import { ThemeSwitch } from './ThemeSwitch';

export function TopBar(props: { onOpenMenu: () => void; menuOpen: boolean }) {
  return (
    <header class="sticky top-0 z-20 border-b border-line bg-canvas/75 backdrop-blur-xl">
      <div class="flex h-16 items-center gap-2 px-3 sm:gap-4 sm:px-6 lg:px-10">
        <button
          type="button"
          class={`${buttonStyles.icon} md:hidden`}
          aria-label="Open navigation"
          aria-expanded={props.menuOpen}
          onClick={() => props.onOpenMenu()}
        >
          <Menu class="size-5" strokeWidth={1.75} />
        </button>
        <div class="min-w-0 flex-1">
          <SearchField />
        </div>
        <div class="flex shrink-0 items-center gap-1 sm:gap-3">
          <StatusIndicator />
          <NotificationBell />
          {/* On phones the theme switch lives in the navigation drawer, leaving room to search. */}
          <div class="hidden sm:block">
            <ThemeSwitch />
          </div>
          <ProfileBadge />
          <ProfileMenu />
        </div>
      </div>
    </header>
  );
}
