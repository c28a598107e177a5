import { APP_HOME } from '../../navigation';
import type { NavMode } from './SidebarNav';

/**
 * The "/seen/" wordmark. A plain <a> (the router still handles the click) so it
 * does not announce itself as the current page next to the Dashboard link.
 */
export function Wordmark(props: { mode: NavMode }) {
  const full = () => (props.mode === 'full' ? 'inline' : props.mode === 'responsive' ? 'hidden lg:inline' : 'hidden');
  const short = () => (props.mode === 'full' ? 'hidden' : props.mode === 'responsive' ? 'lg:hidden' : 'inline');
  const slash = 'bg-linear-to-b from-accent to-secondary bg-clip-text text-transparent';

  return (
    <a
      href={APP_HOME}
      aria-label="/seen/ home"
      class="inline-flex select-none items-baseline rounded-md px-1 text-xl font-semibold tracking-tight text-ink"
    >
      <span class="text-accent">/</span>
      <span class={full()}>seen</span>
      <span class={short()}>s</span>
      <span class={slash}>/</span>
    </a>
  );
}
