import Check from 'lucide-solid/icons/check';
import Eye from 'lucide-solid/icons/eye';
import RotateCcw from 'lucide-solid/icons/rotate-ccw';
import { createSignal, Show } from 'solid-js';
import { api, call } from '../../api/client';
import { optimistic } from '../../lib/optimistic';
import { createQuery } from '../../lib/query';
import { showToast } from '../../stores/toasts';
import { buttonStyles } from '../ui/button';

/** How many times you watched a movie (history entries), with mark / watch again / undo. */
export function WatchedButton(props: { mediaId: number; title: string }) {
  const count = createQuery(
    () => props.mediaId,
    async (mediaId) => (await call(api.GET('/api/v1/watched', { params: { query: { mediaId, pageSize: 1 } } }))).total,
  );
  const [busy, setBusy] = createSignal(false);
  const plays = () => count.data() ?? 0;

  const mark = async () => {
    setBusy(true);
    const failed = await optimistic({
      apply: () => count.mutate((n) => (n ?? 0) + 1),
      commit: () => call(api.POST('/api/v1/watched', { body: { mediaId: props.mediaId } })),
      rollback: () => count.mutate((n) => Math.max(0, (n ?? 1) - 1)),
      failure: `Couldn't mark “${props.title}” watched`,
    });
    if (!failed) showToast({ tone: 'success', title: plays() > 1 ? `Watched again (${plays()}×)` : 'Marked watched', body: props.title });
    setBusy(false);
  };

  const undo = async () => {
    setBusy(true);
    await optimistic({
      apply: () => count.mutate((n) => Math.max(0, (n ?? 1) - 1)),
      commit: () => call(api.DELETE('/api/v1/watched', { params: { query: { mediaId: props.mediaId, scope: 'latest' } } })),
      rollback: () => count.mutate((n) => (n ?? 0) + 1),
      failure: `Couldn't remove the watch of “${props.title}”`,
    });
    setBusy(false);
  };

  return (
    <Show
      when={plays() > 0}
      fallback={
        <button type="button" class={`${buttonStyles.primary} h-11 px-6`} disabled={busy() || count.data() === undefined} onClick={() => void mark()}>
          <Eye class="size-4" strokeWidth={2} />
          Mark watched
        </button>
      }
    >
      <div class="flex items-center gap-1 rounded-full border border-ok/30 bg-ok/10 p-1 pl-4 backdrop-blur-md">
        <Check class="size-4 text-ok" strokeWidth={2.25} />
        <span class="pr-2 text-sm font-medium text-ink">Watched{plays() > 1 ? ` ${plays()}×` : ''}</span>
        <button type="button" class={`${buttonStyles.ghost} h-9`} disabled={busy()} onClick={() => void mark()} title="Log another watch">
          + Again
        </button>
        <button type="button" class={`${buttonStyles.icon} size-9`} disabled={busy()} onClick={() => void undo()} aria-label="Remove the latest watch" title="Remove the latest watch">
          <RotateCcw class="size-4" strokeWidth={1.75} />
        </button>
      </div>
    </Show>
  );
}
