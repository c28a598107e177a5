import Server from 'lucide-solid/icons/server';
import { createSignal, Show, type JSX } from 'solid-js';
import { showToast } from '../../stores/toasts';
import { buttonStyles } from '../ui/button';
import { fieldStyles } from '../ui/form';
import { QueryView } from '../ui/QueryView';
import { ListSkeleton } from '../ui/Skeleton';
import { draftOf, NO_SETTINGS_KEY, patchOf, previewOf, type Instance, type InstanceDraft, type InstancePatch, type InstanceStore, type SecretName } from './instance';
import { SecretField } from './SecretField';
import { describedBy, settingsCard } from './SettingRow';

function ValueField(props: { id: keyof InstanceDraft; label: string; hint: string; error?: string; children: JSX.Element }) {
  return (
    <div>
      <label for={props.id} class={fieldStyles.label}>{props.label}</label>
      {props.children}
      <p id={`${props.id}-hint`} class={fieldStyles.hint}>{props.hint}</p>
      <Show when={props.error}>
        <p id={`${props.id}-error`} role="alert" class={fieldStyles.error}>{props.error}</p>
      </Show>
    </div>
  );
}

/** Twitch client id, library roots and download limits, saved together. */
function ValuesForm(props: { store: InstanceStore; settings: Instance }) {
  const [draft, setDraft] = createSignal<InstanceDraft>(draftOf(props.settings));
  const edit = (field: keyof InstanceDraft) => (e: { currentTarget: { value: string } }) =>
    setDraft((d) => ({ ...d, [field]: e.currentTarget.value }));
  const patch = () => patchOf(draft(), props.settings);
  const dirty = () => Object.keys(patch()).length > 0;
  const err = (field: keyof InstanceDraft) => props.store.fieldError(field);
  const aria = (field: keyof InstanceDraft) => ({ id: field, ...describedBy(field, err(field)) });

  const submit = async (event: SubmitEvent) => {
    event.preventDefault();
    const changes = patch();
    if (!Object.keys(changes).length) return;
    // On failure the draft stays as typed (the field errors say what to fix); the stored values roll back.
    if (await props.store.save(changes, (current) => previewOf(current, changes), "Couldn't save the instance settings")) {
      setDraft(draftOf(props.store.query.data ?? props.settings));
      showToast({ tone: 'success', title: 'Instance settings saved' });
    }
  };

  return (
    <form class="grid gap-5 px-5 py-5 sm:grid-cols-2 sm:px-6" onSubmit={submit} aria-label="Instance values">
      <ValueField id="twitchClientId" label="Twitch client ID" hint="IGDB signs in through a Twitch application." error={err('twitchClientId')}>
        <input {...aria('twitchClientId')} class={fieldStyles.input} autocomplete="off" spellcheck={false} value={draft().twitchClientId} onInput={edit('twitchClientId')} />
      </ValueField>
      <ValueField id="downloadsMaxConcurrent" label="Downloads at once" hint="1–50. Leave empty for the default." error={err('downloadsMaxConcurrent')}>
        <input {...aria('downloadsMaxConcurrent')} type="number" inputmode="numeric" class={fieldStyles.input} value={draft().downloadsMaxConcurrent} onInput={edit('downloadsMaxConcurrent')} />
      </ValueField>
      <ValueField id="libraryRoots" label="Library folders" hint="Absolute paths the scanner watches, one per line." error={err('libraryRoots')}>
        <textarea {...aria('libraryRoots')} rows={3} spellcheck={false} class={`${fieldStyles.textarea} font-mono text-xs`} value={draft().libraryRoots} onInput={edit('libraryRoots')} />
      </ValueField>
      <ValueField id="downloadEventsRetentionDays" label="Keep download events for (days)" hint="1–3650. Older timeline entries are cleaned up daily." error={err('downloadEventsRetentionDays')}>
        <input {...aria('downloadEventsRetentionDays')} type="number" inputmode="numeric" class={fieldStyles.input} value={draft().downloadEventsRetentionDays} onInput={edit('downloadEventsRetentionDays')} />
      </ValueField>
      <div class="flex items-center justify-end gap-4 sm:col-span-2">
        <Show when={dirty()}>
          <span class="text-xs text-ink-subtle">Unsaved changes</span>
        </Show>
        <button type="submit" class={buttonStyles.primary} disabled={!dirty() || props.store.busy()}>
          {props.store.busy() ? 'Saving…' : 'Save instance settings'}
        </button>
      </div>
    </form>
  );
}

/** Admin-only settings of this /seen/ server. Secrets are write-only. */
export function InstanceSettings(props: { store: InstanceStore }) {
  const store = props.store;
  const secret = (name: SecretName) => ({
    state: (store.query.data as Partial<Record<SecretName, Instance['tmdbApiKey']>>)[name] ?? { set: false },
    error: store.fieldError(name as keyof InstancePatch),
    unavailable: store.query.data?.secretsStorable === false ? NO_SETTINGS_KEY : undefined,
    busy: store.busy(),
    onSave: (value: string) => store.setSecret(name, value),
    onClear: () => void store.setSecret(name, null),
  });
  return (
    <QueryView query={store.query} loading={<ListSkeleton rows={3} label="Loading instance settings…" />} errorTitle="Couldn't load the instance settings">
      {(settings) => (
        <div class={`${settingsCard} divide-y divide-line`}>
          <p class="flex items-center gap-2 px-5 py-4 text-sm text-ink-muted sm:px-6">
            <Server class="size-4 shrink-0 text-ink-subtle" strokeWidth={1.75} />
            Applies to everyone on this server. Keys are stored encrypted and never shown again.
          </p>
          <SecretField id="tmdbApiKey" label="TMDB API key" hint="Movies and shows sync from TMDB; without a key the demo catalog is used." {...secret('tmdbApiKey')} />
          <SecretField id="twitchClientSecret" label="Twitch client secret" hint="Used with the client ID below to fetch games from IGDB." {...secret('twitchClientSecret')} />
          <Show when={'omdbApiKey' in settings()}>
            <SecretField id="omdbApiKey" label="OMDb API key" hint="IMDb, Rotten Tomatoes and Metacritic scores on title pages come from OMDb; without a key only the IMDb datasets' ratings show." {...secret('omdbApiKey')} />
          </Show>
          <SecretField id="tvdbApiKey" label="TheTVDB API key" hint="Exact episode air times for the calendar; without a key a show's time is its network's usual slot, marked approximate." {...secret('tvdbApiKey')} />
          <SecretField id="tvdbPin" label="TheTVDB subscriber PIN" hint="Only with a user-supported TheTVDB key; leave it unset otherwise." {...secret('tvdbPin')} />
          <SecretField id="opensubtitlesApiKey" label="OpenSubtitles API key" hint="Subtitles in each viewer's languages are fetched from OpenSubtitles when a file has none; without a key nothing is fetched." {...secret('opensubtitlesApiKey')} />
          <ValuesForm store={store} settings={settings()} />
        </div>
      )}
    </QueryView>
  );
}
