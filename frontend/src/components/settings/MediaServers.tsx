import Check from 'lucide-solid/icons/check';
import Copy from 'lucide-solid/icons/copy';
import RotateCw from 'lucide-solid/icons/rotate-cw';
import { createSignal, For, type JSX } from 'solid-js';
import { toApiError } from '../../api/client';
import { showToast } from '../../stores/toasts';
import { Modal } from '../ui/Modal';
import { QueryView } from '../ui/QueryView';
import { ListSkeleton } from '../ui/Skeleton';
import { buttonStyles } from '../ui/button';
import { fieldStyles } from '../ui/form';
import { hookUrl, type createWebhooks } from './notifications';
import { settingsCard } from './SettingRow';

type WebhooksStore = ReturnType<typeof createWebhooks>;

const SERVERS: { key: 'jellyfin' | 'plex'; name: string; steps: () => JSX.Element[] }[] = [
  {
    key: 'jellyfin',
    name: 'Jellyfin',
    steps: () => [
      <>Dashboard → Plugins → Catalog: install <strong>Webhook</strong>, then restart Jellyfin.</>,
      <>Plugins → Webhook → <strong>Add Generic Destination</strong>, and paste this URL.</>,
      <>Notification types: Playback Start, Progress and Stop, User Data Saved. Item types: Movies, Episodes.</>,
      <>Turn on “Send all properties”; request content type <code class="font-mono">application/json</code>.</>,
    ],
  },
  {
    key: 'plex',
    name: 'Plex',
    steps: () => [
      <>Needs Plex Pass. Settings → <strong>Webhooks</strong> → Add Webhook.</>,
      <>Paste this URL and save: plays, pauses, stops and scrobbles are sent from then on.</>,
    ],
  },
];

/** Copies text; falls back to a selected field when the async clipboard is missing (plain HTTP). */
async function copyText(text: string, field: HTMLInputElement): Promise<boolean> {
  try {
    if (navigator.clipboard?.writeText) {
      await navigator.clipboard.writeText(text);
      return true;
    }
  } catch {
    // refused (permissions): try the old way below
  }
  field.select();
  return document.execCommand?.('copy') ?? false;
}

/** Your Jellyfin and Plex webhook URLs: plays there count here (docs/media-servers.md). */
export function MediaServers(props: { store: WebhooksStore }) {
  const [confirming, setConfirming] = createSignal(false);
  const [rotating, setRotating] = createSignal(false);

  const rotate = async () => {
    setRotating(true);
    try {
      await props.store.rotate();
      setConfirming(false);
      showToast({ tone: 'success', title: 'New webhook URLs', body: 'Paste them into Jellyfin and Plex: the old ones stopped working.' });
    } catch (error) {
      showToast({ tone: 'error', title: "Couldn't rotate the URLs", body: toApiError(error).message });
    } finally {
      setRotating(false);
    }
  };

  return (
    <QueryView query={props.store.query} loading={<ListSkeleton rows={2} label="Loading your webhook URLs…" />} errorTitle="Couldn't load your webhook URLs">
      {(hooks) => (
        <div class="flex flex-col gap-4">
          <p class="text-sm text-ink-muted">
            Play something in Jellyfin or Plex and /seen/ keeps your place, and marks it watched at your threshold. Each URL is a secret: anyone
            with it can log plays for you.
          </p>
          <For each={SERVERS}>{(server) => <HookCard name={server.name} url={hookUrl(hooks()[server.key])} steps={server.steps} />}</For>
          <div class="flex flex-wrap items-center justify-between gap-3">
            <p class="text-xs text-ink-subtle">Leaked a URL? Rotating makes new ones; the old ones stop working at once.</p>
            <button type="button" class={buttonStyles.secondary} onClick={() => setConfirming(true)}>
              <RotateCw class="size-4" strokeWidth={1.75} /> Rotate URLs
            </button>
          </div>
          <Modal open={confirming()} onOpenChange={setConfirming} title="Rotate your webhook URLs?" description="Jellyfin and Plex stop reaching /seen/ until you paste the new URLs into both.">
            <div class="flex justify-end gap-3">
              <button type="button" class={buttonStyles.ghost} onClick={() => setConfirming(false)}>Cancel</button>
              <button type="button" class={buttonStyles.primary} disabled={rotating()} onClick={() => void rotate()}>
                {rotating() ? 'Rotating…' : 'Rotate'}
              </button>
            </div>
          </Modal>
        </div>
      )}
    </QueryView>
  );
}

function HookCard(props: { name: string; url: string; steps: () => JSX.Element[] }) {
  const [copied, setCopied] = createSignal(false);
  let field!: HTMLInputElement;
  const id = `webhook-${props.name.toLowerCase()}`;
  const copy = async () => {
    if (await copyText(props.url, field)) {
      setCopied(true);
      setTimeout(() => setCopied(false), 2000);
    } else showToast({ tone: 'error', title: "Couldn't copy", body: 'Select the URL and copy it yourself.' });
  };
  return (
    <div class={`${settingsCard} px-5 py-5 sm:px-6`}>
      <label for={id} class="font-medium text-ink">{props.name} URL</label>
      <div class="mt-3 flex gap-2">
        <input ref={field} id={id} readOnly value={props.url} class={`${fieldStyles.input} min-w-0 flex-1 font-mono text-xs`} onFocus={(e) => e.currentTarget.select()} />
        <button type="button" class={buttonStyles.secondary} aria-label={`Copy the ${props.name} URL`} onClick={() => void copy()}>
          {copied() ? <Check class="size-4" strokeWidth={1.75} /> : <Copy class="size-4" strokeWidth={1.75} />}
          <span aria-live="polite">{copied() ? 'Copied' : 'Copy'}</span>
        </button>
      </div>
      <ol class="mt-4 list-decimal space-y-1 pl-5 text-sm text-ink-muted marker:text-ink-subtle">
        <For each={props.steps()}>{(step) => <li>{step}</li>}</For>
      </ol>
    </div>
  );
}
