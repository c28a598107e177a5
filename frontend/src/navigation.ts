import type { LucideIcon } from 'lucide-solid';
import Bookmark from 'lucide-solid/icons/bookmark';
import CalendarDays from 'lucide-solid/icons/calendar-days';
import Compass from 'lucide-solid/icons/compass';
import Download from 'lucide-solid/icons/download';
import Eye from 'lucide-solid/icons/eye';
import Film from 'lucide-solid/icons/film';
import Gamepad2 from 'lucide-solid/icons/gamepad-2';
import House from 'lucide-solid/icons/house';
import Layers from 'lucide-solid/icons/layers';
import ListTodo from 'lucide-solid/icons/list-todo';
import Library from 'lucide-solid/icons/library';
import Settings from 'lucide-solid/icons/settings';
import ShieldCheck from 'lucide-solid/icons/shield-check';
import Sparkles from 'lucide-solid/icons/sparkles';
import Tv from 'lucide-solid/icons/tv';
import TvMinimalPlay from 'lucide-solid/icons/tv-minimal-play';

/**
 * What the sidebar shows. Routes themselves live in routes.ts; a test checks
 * that every link here has a route.
 */

export interface NavItem {
  href: string;
  label: string;
  icon: LucideIcon;
  /** Shown to admins only (the page itself answers "admins only" to anyone else). */
  adminOnly?: boolean;
  /** Hidden on a kid profile (the route answers "not available on a kid profile"). */
  adultOnly?: boolean;
}

export interface NavGroup {
  label: string;
  items: NavItem[];
}

export const APP_HOME = '/app/dashboard';
export const LOGIN_PATH = '/app/login';
export const REGISTER_PATH = '/app/register';
/** "Who's watching?" (outside the shell). */
export const PROFILES_PATH = '/app/profiles';

export const primaryNav: NavGroup[] = [
  {
    label: 'Home',
    items: [
      { href: '/app/dashboard', label: 'Dashboard', icon: House },
      { href: '/app/discover', label: 'Discover', icon: Compass },
      { href: '/app/movies', label: 'Movies', icon: Film },
      { href: '/app/shows', label: 'Shows', icon: Tv },
      { href: '/app/games', label: 'Games', icon: Gamepad2 },
    ],
  },
  {
    label: 'Your stuff',
    items: [
      { href: '/app/watch-later', label: 'Watch later', icon: Bookmark },
      { href: '/app/watched', label: 'Watched', icon: Eye },
      { href: '/app/collections', label: 'Collections', icon: Layers },
      { href: '/app/recommendations', label: 'Recommendations', icon: Sparkles },
      { href: '/app/channels', label: 'Channels', icon: TvMinimalPlay, adultOnly: true },
      { href: '/app/calendar', label: 'Calendar', icon: CalendarDays },
    ],
  },
  {
    label: 'Media',
    items: [
      { href: '/app/library', label: 'Library', icon: Library },
      { href: '/app/wanted', label: 'Wanted', icon: ListTodo, adultOnly: true },
      { href: '/app/downloads', label: 'Downloads', icon: Download, adultOnly: true },
    ],
  },
];

export const footerNav: NavItem[] = [
  { href: '/app/settings', label: 'Settings', icon: Settings, adultOnly: true },
  { href: '/app/admin', label: 'Admin', icon: ShieldCheck, adminOnly: true, adultOnly: true },
];
