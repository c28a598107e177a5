import { A } from '@solidjs/router';
import ChevronLeft from 'lucide-solid/icons/chevron-left';
import CircleAlert from 'lucide-solid/icons/circle-alert';
import ExternalLink from 'lucide-solid/icons/external-link';
import UserMinus from 'lucide-solid/icons/user-minus';
import { createSignal, Show } from 'solid-js';
import { KEEP_NEWEST_MAX, type Channel } from '../../api/channels';
import { formatRelative } from '../../lib/format';
import { PersonPhoto } from '../people/PersonPhoto';
import { buttonStyles } from '../ui/button';
import { fieldStyles } from '../ui/form';
import { Modal } from '../ui/Modal';
import { channelLine } from './ChannelCard';
import { CHANNELS_HREF } from './videoState';

/** A keepNewest typed in the box, or undefined when it is not a whole number from 0 to 50. */
export function parseKeepNewest(raw: string): number | undefined {
  const n = Number(raw);
  return raw.trim() !== '' && Number.isInteger(n) && n >= 0 && n <= KEEP_NEWEST_MAX ? n : undefined;
}

/**
 * The channel page's head: avatar, name, its line, Open on YouTube, how many of its newest videos to keep
 * downloaded (saved when the box is left or Enter pressed) and Unfollow, after a confirmation.
 */
export function ChannelHeader(props: {
  channel: Channel;
  onKeepNewest: (keepNewest: number) => Promise<boolean>;
  onUnfollow: () => Promise<void>;
}) {
  const [confirming, setConfirming] = createSignal(false);
  const [leaving, setLeaving] = createSignal(false);

  const unfollow = async () => {
    setLeaving(true);
    await props.onUnfollow();
    setLeaving(false);
  };

  return (
    <>
      <A href={CHANNELS_HREF} class="mb-6 inline-flex items-center gap-1 text-sm text-ink-muted transition-colors hover:text-ink">
        <ChevronLeft class="size-4" strokeWidth={1.75} /> Channels
      </A>
      <header class="relative mb-10 overflow-hidden rounded-3xl border border-line bg-surface p-6 sm:p-8">
        <div aria-hidden="true" class="pointer-events-none absolute -left-24 -top-32 h-72 w-[36rem] rounded-full bg-[radial-gradient(closest-side,var(--color-secondary-soft),transparent)] blur-2xl" />
        <div class="relative flex flex-col gap-6 md:flex-row md:items-center">
          <PersonPhoto name={props.channel.title} url={props.channel.thumbnailUrl} class="w-20 shadow-float sm:w-24" />
          <div class="min-w-0 flex-1">
            <h1 id="page-title" class="truncate text-3xl font-semibold tracking-tight text-ink sm:text-4xl">{props.channel.title}</h1>
            <p class="mt-2 text-sm text-ink-muted">{channelLine(props.channel)}</p>
            <div class="mt-4 flex flex-wrap items-center gap-2">
              <a href={props.channel.url} target="_blank" rel="noopener noreferrer" class={buttonStyles.secondary}>
                <ExternalLink class="size-4" strokeWidth={1.75} />
                Open on YouTube
              </a>
              <button type="button" class={`${buttonStyles.ghost} h-10 hover:text-danger`} onClick={() => setConfirming(true)}>
                <UserMinus class="size-4" strokeWidth={1.75} />
                Unfollow
              </button>
            </div>
          </div>
          <KeepNewest value={props.channel.keepNewest} onSave={props.onKeepNewest} />
        </div>
        <Show when={props.channel.lastError}>
          {(error) => (
            <p role="note" class="relative mt-6 flex items-start gap-2 rounded-xl border border-warn/30 bg-warn/10 px-4 py-3 text-sm text-warn">
              <CircleAlert class="mt-0.5 size-4 shrink-0" strokeWidth={2} />
              <span>
                The last feed read failed{props.channel.checkedAt ? ` ${formatRelative(props.channel.checkedAt)}` : ''}: {error()}. /seen/ tries again on its own.
              </span>
            </p>
          )}
        </Show>
      </header>
      <Modal
        open={confirming()}
        onOpenChange={setConfirming}
        title={`Unfollow ${props.channel.title}?`}
        description="Its videos leave your dashboard and calendar. What you already got stays in your library."
      >
        <div class="flex justify-end gap-2">
          <button type="button" class={buttonStyles.ghost} onClick={() => setConfirming(false)}>Cancel</button>
          <button type="button" class={`${buttonStyles.primary} bg-danger hover:bg-danger/85`} disabled={leaving()} onClick={() => void unfollow()}>
            {leaving() ? 'Unfollowing…' : 'Unfollow'}
          </button>
        </div>
      </Modal>
    </>
  );
}

/** The number box: saved on change (blur or Enter) when it is valid and new; a refused save puts the saved value back. */
function KeepNewest(props: { value: number; onSave: (keepNewest: number) => Promise<boolean> }) {
  const id = 'keep-newest';
  const [error, setError] = createSignal<string>();
  const [saving, setSaving] = createSignal(false);

  const save = async (input: HTMLInputElement) => {
    const next = parseKeepNewest(input.value);
    if (next === undefined) {
      setError(`A whole number from 0 to ${KEEP_NEWEST_MAX}.`);
      return;
    }
    setError(undefined);
    if (next === props.value) return;
    setSaving(true);
    if (!(await props.onSave(next))) input.value = String(props.value);
    setSaving(false);
  };

  return (
    <div class="md:w-56">
      <label for={id} class={fieldStyles.label}>Keep newest downloaded</label>
      <input
        id={id}
        data-testid="keep-newest-input"
        type="number"
        inputmode="numeric"
        min="0"
        max={KEEP_NEWEST_MAX}
        step="1"
        class={fieldStyles.input}
        value={props.value}
        disabled={saving()}
        aria-invalid={error() ? 'true' : undefined}
        aria-describedby={error() ? `${id}-error` : `${id}-hint`}
        onChange={(e) => void save(e.currentTarget)}
        onKeyDown={(e) => e.key === 'Enter' && e.currentTarget.blur()}
      />
      <Show when={error()} fallback={<p id={`${id}-hint`} class={fieldStyles.hint}>{saving() ? 'Saving…' : '0: only what you Get.'}</p>}>
        <p id={`${id}-error`} role="alert" class={fieldStyles.error}>{error()}</p>
      </Show>
    </div>
  );
}
