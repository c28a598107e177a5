import { Dialog } from '@ark-ui/solid/dialog';
import X from 'lucide-solid/icons/x';
import { Portal } from 'solid-js/web';
import { buttonStyles } from '../ui/button';
import { SidebarNav } from './SidebarNav';
import { ThemeSwitch } from './ThemeSwitch';
import { Wordmark } from './Wordmark';

/** The phone-width navigation: the same nav, in a focus-trapped drawer. */
export function MobileNav(props: { open: boolean; onOpenChange: (open: boolean) => void }) {
  return (
    <Dialog.Root open={props.open} onOpenChange={(details) => props.onOpenChange(details.open)} lazyMount unmountOnExit>
      <Portal>
        <Dialog.Backdrop class="fixed inset-0 z-40 bg-black/55 backdrop-blur-sm data-[state=closed]:animate-fade-out data-[state=open]:animate-fade-in md:hidden" />
        <Dialog.Positioner class="fixed inset-0 z-50 flex md:hidden">
          <Dialog.Content class="flex h-full w-72 max-w-[85vw] flex-col border-r border-line bg-surface shadow-float outline-none data-[state=closed]:animate-drawer-out data-[state=open]:animate-drawer-in">
            <div class="flex h-16 shrink-0 items-center justify-between pl-5 pr-3">
              <Dialog.Title class="sr-only">Navigation</Dialog.Title>
              <Wordmark mode="full" />
              <Dialog.CloseTrigger class={buttonStyles.icon} aria-label="Close navigation">
                <X class="size-5" strokeWidth={1.75} />
              </Dialog.CloseTrigger>
            </div>
            <SidebarNav mode="full" />
            <div class="flex shrink-0 items-center justify-between border-t border-line px-5 py-4 sm:hidden">
              <span aria-hidden="true" class="text-sm text-ink-muted">
                Theme
              </span>
              <ThemeSwitch />
            </div>
          </Dialog.Content>
        </Dialog.Positioner>
      </Portal>
    </Dialog.Root>
  );
}
