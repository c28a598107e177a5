import { Dialog } from '@ark-ui/solid/dialog';
import X from 'lucide-solid/icons/x';
import type { JSX } from 'solid-js';
import { Portal } from 'solid-js/web';
import { buttonStyles } from './button';

/** Widths (from `sm` up; a phone gets the full width): 'sm' for forms, 'md'/'lg' for lists. */
export type ModalSize = 'sm' | 'md' | 'lg';
const widths: Record<ModalSize, string> = { sm: 'max-w-md', md: 'max-w-2xl', lg: 'max-w-4xl' };

/** A centred dialog (Ark UI: focus trap, Esc, labelled by its title). */
export function Modal(props: {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  title: string;
  description?: string;
  size?: ModalSize;
  children: JSX.Element;
}) {
  return (
    <Dialog.Root open={props.open} onOpenChange={(d) => props.onOpenChange(d.open)} lazyMount unmountOnExit>
      <Portal>
        <Dialog.Backdrop class="fixed inset-0 z-40 bg-black/60 backdrop-blur-sm data-[state=closed]:animate-fade-out data-[state=open]:animate-fade-in" />
        <Dialog.Positioner class="fixed inset-0 z-50 flex items-end justify-center p-0 sm:items-center sm:p-6">
          <Dialog.Content data-size={props.size ?? 'sm'} class={`max-h-[85dvh] w-full ${widths[props.size ?? 'sm']} overflow-y-auto rounded-t-3xl border border-line-strong bg-surface p-6 shadow-float outline-none data-[state=open]:animate-pop sm:rounded-3xl`}>
            <div class="mb-5 flex items-start justify-between gap-4">
              <div>
                <Dialog.Title class="text-lg font-medium tracking-tight text-ink">{props.title}</Dialog.Title>
                {props.description && <Dialog.Description class="mt-1 text-sm text-ink-muted">{props.description}</Dialog.Description>}
              </div>
              <Dialog.CloseTrigger class={`${buttonStyles.icon} -mr-2 -mt-2 size-9`} aria-label="Close">
                <X class="size-4" strokeWidth={1.75} />
              </Dialog.CloseTrigger>
            </div>
            {props.children}
          </Dialog.Content>
        </Dialog.Positioner>
      </Portal>
    </Dialog.Root>
  );
}
