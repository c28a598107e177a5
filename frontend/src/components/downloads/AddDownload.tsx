import FileUp from 'lucide-solid/icons/file-up';
import Link from 'lucide-solid/icons/link';
import Magnet from 'lucide-solid/icons/magnet';
import { createSignal, For, Match, Show, Switch } from 'solid-js';
import { ApiError, toApiError } from '../../api/client';
import { createDownload, uploadTorrent } from '../../api/downloads';
import type { Download } from '../../api/types';
import { formatBytes } from '../../lib/format';
import { buttonStyles } from '../ui/button';
import { fieldStyles } from '../ui/form';

type Kind = 'magnet' | 'torrent' | 'http';
const KINDS: { value: Kind; label: string; short: string; icon: typeof Magnet }[] = [
  { value: 'magnet', label: 'Magnet link', short: 'Magnet', icon: Magnet },
  { value: 'torrent', label: '.torrent file', short: '.torrent', icon: FileUp },
  { value: 'http', label: 'Direct URL', short: 'URL', icon: Link },
];

/** Submit a magnet link, a .torrent file (uploaded straight to the bucket) or an http(s) URL. */
export function AddDownload(props: { onAdded: (download: Download) => void }) {
  const [kind, setKind] = createSignal<Kind>('magnet');
  const [source, setSource] = createSignal('');
  const [file, setFile] = createSignal<File>();
  const [title, setTitle] = createSignal('');
  const [error, setError] = createSignal<ApiError>();
  const [busy, setBusy] = createSignal(false);
  const [dragOver, setDragOver] = createSignal(false);
  let fileInput!: HTMLInputElement;

  const ready = () => (kind() === 'torrent' ? !!file() : source().trim().length > 0);

  const submit = async (event: SubmitEvent) => {
    event.preventDefault();
    if (!ready() || busy()) return;
    setBusy(true);
    setError(undefined);
    try {
      const named = title().trim() || null;
      const body =
        kind() === 'torrent'
          ? { sourceType: kind(), torrentUploadId: await uploadTorrent(file()!), title: named }
          : { sourceType: kind(), source: source().trim(), title: named };
      const created = await createDownload(body);
      setSource('');
      setFile(undefined);
      setTitle('');
      if (fileInput) fileInput.value = '';
      props.onAdded(created);
    } catch (err) {
      setError(toApiError(err));
    } finally {
      setBusy(false);
    }
  };

  const pick = (files: FileList | null | undefined) => {
    const picked = files?.[0];
    if (picked) setFile(picked);
  };

  return (
    <form onSubmit={submit} class="rounded-3xl border border-line bg-surface p-5 sm:p-7">
      <div role="tablist" aria-label="Source" class="mb-5 grid grid-cols-3 gap-1 rounded-full border border-line bg-canvas/60 p-1 sm:inline-grid">
        <For each={KINDS}>
          {(k) => (
            <button
              type="button"
              role="tab"
              aria-selected={kind() === k.value}
              onClick={() => {
                setKind(k.value);
                setError(undefined);
              }}
              class="inline-flex h-9 items-center justify-center gap-2 rounded-full px-3 text-sm transition-colors sm:px-4"
              classList={{ 'bg-raised text-ink shadow-float': kind() === k.value, 'text-ink-muted hover:text-ink': kind() !== k.value }}
            >
              <k.icon class="size-4 shrink-0" strokeWidth={1.75} />
              <span class="sm:hidden">{k.short}</span>
              <span class="hidden sm:inline">{k.label}</span>
            </button>
          )}
        </For>
      </div>
      <div class="grid gap-4 lg:grid-cols-[1fr_16rem_auto] lg:items-end">
        <Switch>
          <Match when={kind() === 'torrent'}>
            <div>
              <span class={fieldStyles.label} id="torrent-label">Torrent file</span>
              <button
                type="button"
                aria-labelledby="torrent-label"
                onClick={() => fileInput.click()}
                onDragOver={(e) => {
                  e.preventDefault();
                  setDragOver(true);
                }}
                onDragLeave={() => setDragOver(false)}
                onDrop={(e) => {
                  e.preventDefault();
                  setDragOver(false);
                  pick(e.dataTransfer?.files);
                }}
                class="flex h-11 w-full items-center gap-3 rounded-xl border border-dashed px-3.5 text-left text-sm transition-colors"
                classList={{ 'border-accent/60 bg-accent-soft': dragOver(), 'border-line-strong hover:border-accent/40': !dragOver() }}
              >
                <FileUp class="size-4 shrink-0 text-ink-subtle" strokeWidth={1.75} />
                <Show when={file()} fallback={<span class="text-ink-subtle">Drop a .torrent here, or choose a file…</span>}>
                  {(f) => (
                    <span class="truncate text-ink">
                      {f().name} <span class="text-ink-subtle">· {formatBytes(f().size)}</span>
                    </span>
                  )}
                </Show>
              </button>
              <input ref={fileInput} type="file" accept=".torrent,application/x-bittorrent" class="sr-only" tabindex="-1" aria-hidden="true" onChange={(e) => pick(e.currentTarget.files)} />
            </div>
          </Match>
          <Match when={true}>
            <div>
              <label for="download-source" class={fieldStyles.label}>{kind() === 'magnet' ? 'Magnet link' : 'File URL'}</label>
              <input
                id="download-source"
                class={fieldStyles.input}
                placeholder={kind() === 'magnet' ? 'magnet:?xt=urn:btih:…' : 'https://example.com/video.mkv'}
                value={source()}
                onInput={(e) => setSource(e.currentTarget.value)}
                aria-invalid={error()?.fields.source ? 'true' : undefined}
                spellcheck={false}
                autocomplete="off"
              />
            </div>
          </Match>
        </Switch>
        <div>
          <label for="download-title" class={fieldStyles.label}>Title <span class="font-normal text-ink-subtle">(optional)</span></label>
          <input id="download-title" class={fieldStyles.input} maxLength={300} value={title()} onInput={(e) => setTitle(e.currentTarget.value)} placeholder="Shown in the list" />
        </div>
        <button type="submit" class={`${buttonStyles.primary} h-11 px-6`} disabled={!ready() || busy()}>
          {busy() ? 'Adding…' : 'Add download'}
        </button>
      </div>
      <Show when={error()}>
        {(err) => (
          <p role="alert" class="mt-4 text-sm text-danger">
            {err().fields.source ? `${err().message} (${err().fields.source})` : err().message}
            <span class="ml-2 font-mono text-xs text-ink-subtle">{err().code}</span>
          </p>
        )}
      </Show>
    </form>
  );
}
