import Copy from 'lucide-solid/icons/copy';
import Rss from 'lucide-solid/icons/rss';
import { createEffect, createSignal, onCleanup, Show } from 'solid-js';
import { createFeedToken } from '../../api/calendar';
import { toApiError, type ApiError } from '../../api/client';
import { showToast } from '../../stores/toasts';
import { buttonStyles } from '../ui/button';
import { ErrorState } from '../ui/ErrorState';
import { fieldStyles } from '../ui/form';

/** The feed URL on this origin (the SPA and the API share it), whatever host the API saw. */
export function feedUrlOf(feedPath: string, origin: string = location.origin): string {
  return new URL(feedPath, origin).toString();
}

/**
 * "Subscribe (iCal)": reveals a panel that creates the secret feed link and
 * copies it. The API only shows a token once and creating one retires the old
 * link, so the link is made on request, never on page load.
 */
export function FeedLink() {
  const [open, setOpen] = createSignal(false);
  const [url, setUrl] = createSignal<string>();
  const [busy, setBusy] = createSignal(false);
  const [error, setError] = createSignal<ApiError>();
  let root!: HTMLDivElement;
  let toggle!: HTMLButtonElement;

  // Like a popover: a click elsewhere or Escape closes it (Escape hands focus back to the button).
  createEffect(() => {
    if (!open()) return;
    const away = (event: PointerEvent) => !root.contains(event.target as Node) && setOpen(false);
    document.addEventListener('pointerdown', away);
    onCleanup(() => document.removeEventListener('pointerdown', away));
  });
  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key !== 'Escape' || !open()) return;
    setOpen(false);
    toggle.focus();
  };

  const create = async () => {
    setBusy(true);
    setError(undefined);
    try {
      const token = await createFeedToken();
      setUrl(feedUrlOf(token.feedPath));
    } catch (err) {
      setError(toApiError(err));
    } finally {
      setBusy(false);
    }
  };

  const copy = async () => {
    try {
      await navigator.clipboard.writeText(url()!);
      showToast({ tone: 'success', title: 'Feed link copied' });
    } catch {
      showToast({ tone: 'error', title: "Couldn't copy", body: 'Select the link and copy it by hand.' });
    }
  };

  return (
    <div ref={root} class="relative" onKeyDown={onKeyDown}>
      <button ref={toggle} type="button" class={buttonStyles.secondary} aria-expanded={open()} aria-controls="ical-panel" onClick={() => setOpen(!open())}>
        <Rss class="size-4" strokeWidth={1.75} />
        Subscribe (iCal)
      </button>
      <Show when={open()}>
        <div
          id="ical-panel"
          role="region"
          aria-label="iCal subscription"
          class="animate-pop absolute left-0 z-20 mt-2 sm:left-auto sm:right-0 w-[min(26rem,calc(100vw-2.5rem))] rounded-2xl border border-line-strong bg-raised p-5 shadow-float"
        >
          <p class="text-sm leading-relaxed text-ink-muted">
            Add your releases to Apple Calendar, Google Calendar or Thunderbird. The link is private: anyone with it sees
            your calendar. Making a new one switches the old one off.
          </p>
          <Show when={error()}>{(err) => <div class="mt-4"><ErrorState compact error={err()} title="Couldn't create the link" /></div>}</Show>
          <Show
            when={url()}
            fallback={
              <button type="button" class={`${buttonStyles.primary} mt-4`} disabled={busy()} onClick={() => void create()}>
                {busy() ? 'Creating…' : 'Create feed link'}
              </button>
            }
          >
            {(link) => (
              <div class="mt-4">
                <label for="ical-url" class={fieldStyles.label}>iCal feed URL</label>
                <div class="flex gap-2">
                  <input id="ical-url" readonly value={link()} class={`${fieldStyles.input} font-mono text-xs`} onFocus={(e) => e.currentTarget.select()} />
                  <button type="button" class={buttonStyles.secondary} onClick={() => void copy()}>
                    <Copy class="size-4" strokeWidth={1.75} />
                    Copy
                  </button>
                </div>
                <div class="mt-3 flex flex-wrap gap-x-4 gap-y-2 text-sm">
                  <a class="text-accent-ink hover:underline" href={link().replace(/^https?:/, 'webcal:')}>Open in calendar app</a>
                  <button type="button" class="text-ink-muted hover:text-ink" disabled={busy()} onClick={() => void create()}>
                    Make a new link
                  </button>
                </div>
              </div>
            )}
          </Show>
        </div>
      </Show>
    </div>
  );
}
