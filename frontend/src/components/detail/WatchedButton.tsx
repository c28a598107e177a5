import Check from 'lucide-solid/icons/check';
import Eye from 'lucide-solid/icons/eye';
import RotateCcw from 'lucide-solid/icons/rotate-ccw';
import { createSignal, Show } from 'solid-js';
import { createApiQuery, setQueryData } from '../../api/queryClient';
import { fetchPlays, markWatched, trackingKeys, unmarkWatched } from '../../api/tracking';
import { optimistic } from '../../lib/optimistic';
import { showToast } from '../../stores/toasts';
import { buttonStyles } from '../ui/button';
import { glassButton } from './actions';

/** How many times you watched a movie or one episode (history entries), with mark / watch again / undo. */
export function WatchedButton(props: { mediaId: number; episodeId?: number | null; title: string; quiet?: boolean }) {
  const count = createApiQuery(() => {
    const { mediaId, episodeId } = props;
    return { queryKey: trackingKeys.plays(mediaId, episodeId), queryFn: () => fetchPlays(mediaId, episodeId) };
  });
  const setCount = (update: (n: number | undefined) => number) =>
    setQueryData<number>(trackingKeys.plays(props.mediaId, props.episodeId), update);
  const target = () => ({ mediaId: props.mediaId, ...(props.episodeId != null ? { episodeId: props.episodeId } : {}) });
  const [busy, setBusy] = createSignal(false);
  const plays = () => count.data ?? 0;

  const mark = async () => {
    setBusy(true);
    const failed = await optimistic({
      apply: () => setCount((n) => (n ?? 0) + 1),
      commit: () => markWatched(target()),
      rollback: () => setCount((n) => Math.max(0, (n ?? 1) - 1)),
      failure: `Couldn't mark “${props.title}” watched`,
    });
    if (!failed) showToast({ tone: 'success', title: plays() > 1 ? `Watched again (${plays()}×)` : 'Marked watched', body: props.title });
    setBusy(false);
  };

  const undo = async () => {
    setBusy(true);
    await optimistic({
      apply: () => setCount((n) => Math.max(0, (n ?? 1) - 1)),
      commit: () => unmarkWatched(target(), 'latest'),
      rollback: () => setCount((n) => (n ?? 0) + 1),
      failure: `Couldn't remove the watch of “${props.title}”`,
    });
    setBusy(false);
  };

  return (
    <Show
      when={plays() > 0}
      fallback={
        <button
          type="button"
          class={props.quiet ? glassButton : `${buttonStyles.primary} h-11 px-6`}
          disabled={busy() || count.data === undefined}
          onClick={() => void mark()}
        >
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
