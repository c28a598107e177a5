import { createEffect, createSignal, For, Show } from 'solid-js';
import { ApiError } from '../../api/client';
import { createApiQuery, setQueryData } from '../../api/queryClient';
import { deleteBacklogEntry, fetchBacklogEntry, putBacklogEntry, trackingKeys } from '../../api/tracking';
import type { BacklogEntry, BacklogInput, BacklogStatus } from '../../api/types';
import { formatDate } from '../../lib/format';
import { optimistic } from '../../lib/optimistic';
import { showToast } from '../../stores/toasts';
import { buttonStyles } from '../ui/button';
import { fieldStyles } from '../ui/form';

export const BACKLOG_STATUSES: { value: BacklogStatus; label: string }[] = [
  { value: 'wishlist', label: 'Wishlist' },
  { value: 'active', label: 'Playing' },
  { value: 'paused', label: 'Paused' },
  { value: 'completed', label: 'Completed' },
  { value: 'dropped', label: 'Dropped' },
];

/** Your backlog entry for a game: status (optimistic), hours played and completion. */
export function BacklogPanel(props: { mediaId: number; title: string; media: BacklogEntry['media'] }) {
  const entry = createApiQuery(() => {
    const mediaId = props.mediaId;
    return { queryKey: trackingKeys.backlog(mediaId), queryFn: () => fetchBacklogEntry(mediaId) };
  });
  const setEntry = (value: BacklogEntry | null) => setQueryData<BacklogEntry | null>(trackingKeys.backlog(props.mediaId), () => value);
  const [hours, setHours] = createSignal('');
  const [completion, setCompletion] = createSignal('');
  const [saving, setSaving] = createSignal(false);

  createEffect(() => {
    const current = entry.data;
    setHours(current ? String(current.hoursPlayed || '') : '');
    setCompletion(current?.completionPercent != null ? String(current.completionPercent) : '');
  });

  const put = (body: BacklogInput) => putBacklogEntry(props.mediaId, body);

  const setStatus = (status: BacklogStatus) => {
    const before = entry.data ?? null;
    const now = new Date().toISOString();
    void optimistic({
      apply: () =>
        setEntry(
          before
            ? { ...before, status }
            : { media: props.media, status, hoursPlayed: 0, completionPercent: null, startedOn: null, finishedOn: null, platform: null, lastPlayedAt: null, updatedAt: now },
        ),
      commit: async () => setEntry(await put({ status })),
      rollback: () => setEntry(before),
      failure: `Couldn't update “${props.title}” in your backlog`,
    });
  };

  const remove = () => {
    const before = entry.data ?? null;
    void optimistic({
      apply: () => setEntry(null),
      commit: () => deleteBacklogEntry(props.mediaId),
      rollback: () => setEntry(before),
      failure: `Couldn't remove “${props.title}” from your backlog`,
    });
  };

  const saveDetails = async (event: SubmitEvent) => {
    event.preventDefault();
    const current = entry.data;
    if (!current) return;
    setSaving(true);
    try {
      const body: BacklogInput = {
        status: current.status,
        hoursPlayed: hours() === '' ? 0 : Number(hours()),
        completionPercent: completion() === '' ? null : Number(completion()),
      };
      setEntry(await put(body));
      showToast({ tone: 'success', title: 'Backlog updated', body: props.title });
    } catch (error) {
      showToast({ tone: 'error', title: "Couldn't save", body: error instanceof ApiError ? error.message : String(error) });
    } finally {
      setSaving(false);
    }
  };

  return (
    <section aria-labelledby="backlog-title" class="rounded-3xl border border-line bg-surface p-6 sm:p-8">
      <div class="flex flex-wrap items-baseline justify-between gap-3">
        <h2 id="backlog-title" class="text-lg font-medium tracking-tight text-ink">Your backlog</h2>
        <Show when={entry.data}>
          {(e) => (
            <p class="text-xs text-ink-subtle">
              {e().startedOn ? `Started ${formatDate(e().startedOn)}` : ''}
              {e().finishedOn ? ` · Finished ${formatDate(e().finishedOn)}` : ''}
            </p>
          )}
        </Show>
      </div>
      <div role="radiogroup" aria-label="Backlog status" class="mt-5 flex flex-wrap gap-2">
        <For each={BACKLOG_STATUSES}>
          {(status) => {
            const checked = () => entry.data?.status === status.value;
            return (
              <button
                type="button"
                role="radio"
                aria-checked={checked()}
                disabled={entry.data === undefined}
                onClick={() => !checked() && setStatus(status.value)}
                class={`inline-flex h-10 items-center rounded-full border px-4 text-sm transition-colors ${
                  checked() ? 'border-accent/50 bg-accent-soft text-ink' : 'border-line text-ink-muted hover:border-line-strong hover:text-ink'
                }`}
              >
                {status.label}
              </button>
            );
          }}
        </For>
        <Show when={entry.data}>
          <button type="button" class={buttonStyles.ghost} onClick={remove}>
            Remove
          </button>
        </Show>
      </div>
      <Show when={entry.data}>
        <form class="mt-6 flex flex-wrap items-end gap-4" onSubmit={saveDetails}>
          <div>
            <label for="hours" class={fieldStyles.label}>Hours played</label>
            <input id="hours" type="number" min="0" max="100000" step="0.5" inputmode="decimal" class={`${fieldStyles.input} w-36`} value={hours()} onInput={(e) => setHours(e.currentTarget.value)} />
          </div>
          <div>
            <label for="completion" class={fieldStyles.label}>Completion %</label>
            <input id="completion" type="number" min="0" max="100" step="1" inputmode="numeric" class={`${fieldStyles.input} w-36`} value={completion()} onInput={(e) => setCompletion(e.currentTarget.value)} />
          </div>
          <button type="submit" class={`${buttonStyles.secondary} h-11`} disabled={saving()}>
            {saving() ? 'Saving…' : 'Save'}
          </button>
        </form>
      </Show>
      <Show when={entry.data === null}>
        <p class="mt-4 text-sm text-ink-muted">Not in your backlog yet — pick a status to start tracking it.</p>
      </Show>
    </section>
  );
}
