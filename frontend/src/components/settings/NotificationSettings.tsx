import BellRing from 'lucide-solid/icons/bell-ring';
import Trash from 'lucide-solid/icons/trash';
import { createSignal, For, Show } from 'solid-js';
import type { ApiError } from '../../api/client';
import { formatDate } from '../../lib/format';
import { QueryView } from '../ui/QueryView';
import { ListSkeleton } from '../ui/Skeleton';
import { buttonStyles } from '../ui/button';
import { fieldStyles } from '../ui/form';
import { CHANNEL_EXAMPLES, RULES, type Channel, type NotificationPrefs } from './notifications';
import { SettingRow, settingsCard, Toggle } from './SettingRow';

/** Which events notify you, and where besides the bell (Apprise channels). */
export function NotificationSettings(props: { prefs: NotificationPrefs }) {
  return (
    <QueryView query={props.prefs.query} loading={<ListSkeleton rows={4} label="Loading your notification settings…" />} errorTitle="Couldn't load your notification settings">
      {(settings) => (
        <div class="flex flex-col gap-4">
          <div class={`${settingsCard} divide-y divide-line`}>
            <For each={RULES}>
              {(rule) => (
                <SettingRow id={`notify-${rule.key}`} label={rule.label} hint={rule.hint}>
                  <Toggle id={`notify-${rule.key}`} checked={settings().rules[rule.key] ?? true} onChange={(on) => void props.prefs.setRule(rule.key, on)} />
                </SettingRow>
              )}
            </For>
          </div>
          <Channels channels={settings().channels} prefs={props.prefs} />
        </div>
      )}
    </QueryView>
  );
}

function Channels(props: { channels: Channel[]; prefs: NotificationPrefs }) {
  return (
    <div class={`${settingsCard} px-5 py-5 sm:px-6`}>
      <h3 class="font-medium text-ink">Channels</h3>
      <p class="mt-1 text-sm text-ink-muted">
        Notifications always land in the bell. Add a channel to get them on your phone or in a chat too — any{' '}
        <a class="text-accent-ink underline-offset-2 hover:underline" href="https://github.com/caronc/apprise/wiki" target="_blank" rel="noreferrer">
          Apprise URL
        </a>{' '}
        works. The URL is stored encrypted and never shown again.
      </p>
      <Show
        when={props.channels.length}
        fallback={
          <p class="mt-4 flex items-center gap-2 text-sm text-ink-subtle">
            <BellRing class="size-4" strokeWidth={1.75} aria-hidden="true" /> No channels yet.
          </p>
        }
      >
        <ul aria-label="Notification channels" class="mt-4 divide-y divide-line rounded-xl border border-line">
          <For each={props.channels}>
            {(channel) => (
              <li class="flex items-center justify-between gap-3 px-4 py-3">
                <div class="min-w-0">
                  <p class="truncate text-sm font-medium text-ink">{channel.label}</p>
                  <p class="text-xs text-ink-subtle">
                    <span class="font-mono">{channel.service}</span> · added {formatDate(channel.createdAt)}
                  </p>
                </div>
                <button
                  type="button"
                  class={`${buttonStyles.icon} size-9`}
                  aria-label={`Remove ${channel.label}`}
                  onClick={() => void props.prefs.removeChannel(channel.id)}
                >
                  <Trash class="size-4" strokeWidth={1.75} />
                </button>
              </li>
            )}
          </For>
        </ul>
      </Show>
      <AddChannel prefs={props.prefs} />
    </div>
  );
}

function AddChannel(props: { prefs: NotificationPrefs }) {
  const [label, setLabel] = createSignal('');
  const [url, setUrl] = createSignal('');
  const [busy, setBusy] = createSignal(false);
  const [error, setError] = createSignal<ApiError>();
  const message = () => {
    const e = error();
    if (!e) return undefined;
    const field = Object.values(e.fields)[0];
    return field && !e.message.includes(field) ? `${e.message}: ${field}` : e.message;
  };

  const submit = async (event: SubmitEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    const refused = await props.prefs.addChannel(label().trim(), url().trim());
    setBusy(false);
    if (refused) setError(refused);
    else {
      setLabel('');
      setUrl('');
    }
  };

  return (
    <form class="mt-5 grid gap-3 sm:grid-cols-[12rem_1fr_auto] sm:items-end" onSubmit={(e) => void submit(e)} aria-label="Add a channel">
      <div>
        <label for="channel-label" class={fieldStyles.label}>Name</label>
        <input id="channel-label" class={fieldStyles.input} required maxLength={80} placeholder="My phone" value={label()} onInput={(e) => setLabel(e.currentTarget.value)} />
      </div>
      <div>
        <label for="channel-url" class={fieldStyles.label}>Apprise URL</label>
        <input
          id="channel-url"
          class={`${fieldStyles.input} font-mono`}
          required
          minLength={4}
          maxLength={2000}
          autocomplete="off"
          spellcheck={false}
          placeholder="ntfy://my-seen-topic"
          value={url()}
          aria-invalid={error() ? 'true' : undefined}
          aria-describedby={error() ? 'channel-examples channel-error' : 'channel-examples'}
          onInput={(e) => setUrl(e.currentTarget.value)}
        />
      </div>
      <button type="submit" class={buttonStyles.primary} disabled={busy()}>
        {busy() ? 'Adding…' : 'Add channel'}
      </button>
      <Show when={message()}>
        <p id="channel-error" role="alert" class={`${fieldStyles.error} sm:col-span-3`}>{message()}</p>
      </Show>
      <div id="channel-examples" class="text-xs text-ink-subtle sm:col-span-3">
        <span>Examples: </span>
        <ul class="mt-1 flex flex-wrap gap-x-4 gap-y-1">
          <For each={CHANNEL_EXAMPLES}>
            {(ex) => (
              <li>
                {ex.service}{' '}
                <button type="button" class="font-mono text-ink-muted hover:text-ink" title="Use this example" onClick={() => setUrl(ex.example)}>
                  {ex.example}
                </button>
              </li>
            )}
          </For>
        </ul>
      </div>
    </form>
  );
}
