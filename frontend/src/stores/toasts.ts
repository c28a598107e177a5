import { createSignal } from 'solid-js';

/** Short messages in the corner: mostly "that did not save" after an optimistic update rolled back. */
export type ToastTone = 'info' | 'success' | 'error';

/** Where a toast can take you next, e.g. { href: '/app/downloads', label: 'View in Downloads' }. */
export interface ToastLink {
  href: string;
  label: string;
}

export interface Toast {
  id: number;
  tone: ToastTone;
  title: string;
  body?: string;
  link?: ToastLink;
}

const [toasts, setToasts] = createSignal<Toast[]>([]);
let nextId = 1;
const timers = new Map<number, ReturnType<typeof setTimeout>>();

export { toasts };

export function dismissToast(id: number) {
  clearTimeout(timers.get(id));
  timers.delete(id);
  setToasts((list) => list.filter((toast) => toast.id !== id));
}

export function showToast(toast: Omit<Toast, 'id'>, durationMs = toast.tone === 'error' ? 6000 : 3500): number {
  const id = nextId++;
  setToasts((list) => [...list.slice(-3), { ...toast, id }]);
  timers.set(
    id,
    setTimeout(() => dismissToast(id), durationMs),
  );
  return id;
}

export function clearToasts() {
  for (const id of timers.keys()) dismissToast(id);
  setToasts([]);
}
