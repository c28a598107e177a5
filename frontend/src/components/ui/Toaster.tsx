import CircleAlert from 'lucide-solid/icons/circle-alert';
import CircleCheck from 'lucide-solid/icons/circle-check';
import Info from 'lucide-solid/icons/info';
import X from 'lucide-solid/icons/x';
import { For, Show } from 'solid-js';
import { Portal } from 'solid-js/web';
import { dismissToast, toasts, type ToastLink, type ToastTone } from '../../stores/toasts';

const icons = { info: Info, success: CircleCheck, error: CircleAlert } as const;
const tone: Record<ToastTone, string> = {
  info: 'text-accent-ink',
  success: 'text-ok',
  error: 'text-danger',
};

/**
 * A toast's link. The toaster sits outside the router (App), so a plain click is turned into a
 * client-side navigation (pushState + popstate, which the router follows); other clicks stay the browser's.
 */
function ToastAction(props: { link: ToastLink; onFollow: () => void }) {
  const follow = (event: MouseEvent) => {
    if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    event.preventDefault();
    window.history.pushState(null, '', props.link.href);
    window.dispatchEvent(new PopStateEvent('popstate'));
    props.onFollow();
  };
  return (
    <a href={props.link.href} onClick={follow} class="mt-1.5 inline-block rounded text-sm font-medium text-accent-ink hover:underline focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-accent">
      {props.link.label}
    </a>
  );
}

/** Renders the toast queue; errors are announced assertively, the rest politely. */
export function Toaster() {
  const errors = () => toasts().filter((t) => t.tone === 'error');
  const others = () => toasts().filter((t) => t.tone !== 'error');
  const item = (toast: ReturnType<typeof toasts>[number]) => {
    const Icon = icons[toast.tone];
    return (
      <li
        data-tone={toast.tone}
        class="pointer-events-auto flex w-full items-start gap-3 rounded-2xl border border-line-strong bg-raised/95 p-4 shadow-float backdrop-blur-xl animate-toast-in"
      >
        <Icon class={`mt-0.5 size-[18px] shrink-0 ${tone[toast.tone]}`} strokeWidth={1.75} />
        <div class="min-w-0 flex-1">
          <p class="text-sm font-medium text-ink">{toast.title}</p>
          {toast.body && <p class="mt-0.5 text-sm leading-snug text-ink-muted">{toast.body}</p>}
          <Show when={toast.link}>{(link) => <ToastAction link={link()} onFollow={() => dismissToast(toast.id)} />}</Show>
        </div>
        <button
          type="button"
          class="-m-1 grid size-7 shrink-0 place-items-center rounded-full text-ink-subtle transition-colors hover:bg-hover hover:text-ink"
          aria-label="Dismiss"
          onClick={() => dismissToast(toast.id)}
        >
          <X class="size-4" strokeWidth={1.75} />
        </button>
      </li>
    );
  };
  return (
    <Portal>
      <div class="pointer-events-none fixed inset-x-0 bottom-0 z-[60] flex flex-col items-center gap-2 p-4 sm:inset-x-auto sm:right-0 sm:items-end sm:p-6">
        <ul aria-live="assertive" aria-label="Errors" class="flex w-full max-w-sm flex-col gap-2">
          <For each={errors()}>{item}</For>
        </ul>
        <ul aria-live="polite" aria-label="Notifications" class="flex w-full max-w-sm flex-col gap-2">
          <For each={others()}>{item}</For>
        </ul>
      </div>
    </Portal>
  );
}
