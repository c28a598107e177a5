import PanelLeftClose from 'lucide-solid/icons/panel-left-close';
import PanelLeftOpen from 'lucide-solid/icons/panel-left-open';
import { Show } from 'solid-js';
import { setSidebarCollapsed, sidebarCollapsed } from '../../stores/sidebar';
import { SidebarNav } from './SidebarNav';
import { Wordmark } from './Wordmark';

/** The desktop sidebar (hidden on phones, where MobileNav's drawer takes over). */
export function Sidebar() {
  const mode = () => (sidebarCollapsed() ? 'compact' : 'responsive');

  return (
    <div
      class="fixed inset-y-0 left-0 z-30 hidden flex-col border-r border-line bg-surface/80 backdrop-blur-xl transition-[width] duration-300 ease-out-soft md:flex"
      classList={{ 'w-[4.5rem]': true, 'lg:w-60': !sidebarCollapsed() }}
    >
      <div class="flex h-16 short:h-14 shorter:h-12 shrink-0 items-center justify-center px-4" classList={{ 'lg:justify-start lg:px-6': !sidebarCollapsed() }}>
        <Wordmark mode={mode()} />
      </div>
      <SidebarNav mode={mode()} />
      <div class="hidden shrink-0 border-t border-line p-3 short:p-2 lg:block">
        <button
          type="button"
          onClick={() => setSidebarCollapsed(!sidebarCollapsed())}
          class="flex h-9 w-full items-center gap-3 rounded-xl px-3 text-sm text-ink-subtle transition-colors hover:bg-hover hover:text-ink"
          classList={{ 'justify-center': sidebarCollapsed() }}
          aria-label={sidebarCollapsed() ? 'Expand sidebar' : 'Collapse sidebar'}
          title={sidebarCollapsed() ? 'Expand sidebar' : 'Collapse sidebar'}
        >
          <Show when={sidebarCollapsed()} fallback={<PanelLeftClose class="size-[18px]" strokeWidth={1.75} />}>
            <PanelLeftOpen class="size-[18px]" strokeWidth={1.75} />
          </Show>
          <Show when={!sidebarCollapsed()}>
            <span aria-hidden="true">Collapse</span>
          </Show>
        </button>
      </div>
    </div>
  );
}
