import { createSignal } from 'solid-js';
import type { ApiError } from '../../api/client';
import { createApiQuery, setQueryData, type ApiQuery } from '../../api/queryClient';
import { fetchInstanceSettings, patchInstanceSettings, settingsKeys, type Instance, type InstancePatch } from '../../api/settings';
import { optimistic } from '../../lib/optimistic';
import { fieldErrorsOf } from './preferences';

export type { Instance, InstancePatch };
/** TODO(api): `omdbApiKey` (issue 23) is shown only when the settings API returns it. */
export type SecretName = 'tmdbApiKey' | 'twitchClientSecret' | 'opensubtitlesApiKey' | 'omdbApiKey' | 'tvdbApiKey' | 'tvdbPin';

export interface InstanceStore {
  query: ApiQuery<Instance>;
  busy: () => boolean;
  fieldError: (field: keyof InstancePatch) => string | undefined;
  /** Sends `patch`; `preview` is what the page shows meanwhile. Rolls back and keeps the API's field errors on failure. */
  save: (patch: InstancePatch, preview: (current: Instance) => Instance, failure: string) => Promise<boolean>;
  setSecret: (name: SecretName, value: string | null) => Promise<boolean>;
}

/** Instance settings (admin only): GET/PATCH /api/v1/admin/settings. One save at a time. */
export function createInstanceSettings(enabled: () => boolean): InstanceStore {
  const query = createApiQuery(() => ({ queryKey: settingsKeys.instance(), queryFn: fetchInstanceSettings, enabled: enabled() }));
  const set = (update: (current: Instance | undefined) => Instance | undefined) => setQueryData<Instance>(settingsKeys.instance(), update);
  const [errors, setErrors] = createSignal<Record<string, string>>({});
  const [busy, setBusy] = createSignal(false);

  const save: InstanceStore['save'] = async (patch, preview, failure) => {
    const fields = Object.keys(patch);
    setErrors((current) => Object.fromEntries(Object.entries(current).filter(([key]) => !fields.includes(key))));
    setBusy(true);
    const error = await optimistic({
      apply: () => {
        const before = query.data;
        set((current) => current && preview(current));
        return before;
      },
      commit: async () => {
        const saved = await patchInstanceSettings(patch);
        set(() => saved);
      },
      rollback: (before) => set(() => before),
      failure,
    });
    setBusy(false);
    if (error) setErrors((current) => ({ ...current, ...refusedFields(error, fields) }));
    return !error;
  };

  const setSecret = (name: SecretName, value: string | null) =>
    save(
      { [name]: value },
      (current) => ({ ...current, [name]: { set: value !== null, updatedAt: value === null ? null : new Date().toISOString() } }),
      value === null ? "Couldn't clear the secret" : "Couldn't store the secret",
    );

  return { query, busy, fieldError: (field) => errors()[field], save, setSecret };
}

/** Said beside each key field when the server has no key to encrypt secrets with (a refused save says the same). */
export const NO_SETTINGS_KEY =
  "This server has no key to encrypt secrets with, so keys can't be saved here. Ask the person who runs /seen/ to set one up (see README: Secrets).";

/**
 * The message to show beside each field a refused patch sent. The API names the fields; a server without a
 * key to encrypt secrets with may not, and then its sentence (what happened, who can fix it) goes beside each.
 */
export function refusedFields(error: Pick<ApiError, 'code' | 'message' | 'fields'>, sent: string[]): Record<string, string> {
  const named = fieldErrorsOf(error.fields);
  if (error.code !== 'settings_key_missing' || Object.keys(named).length) return named;
  return Object.fromEntries(sent.map((field) => [field, error.message]));
}

export interface InstanceDraft {
  twitchClientId: string;
  libraryRoots: string;
  downloadsMaxConcurrent: string;
  downloadEventsRetentionDays: string;
}

export function draftOf(settings: Instance): InstanceDraft {
  return {
    twitchClientId: settings.twitchClientId ?? '',
    libraryRoots: settings.libraryRoots.join('\n'),
    downloadsMaxConcurrent: String(settings.downloadsMaxConcurrent),
    downloadEventsRetentionDays: String(settings.downloadEventsRetentionDays),
  };
}

const roots = (text: string) => text.split('\n').map((line) => line.trim()).filter(Boolean);
// An empty number field puts the setting back to its default (null removes it server-side).
const integer = (text: string) => (text.trim() === '' ? null : Number(text));

/** Only the fields that differ from what is stored; an empty patch means nothing to save. */
export function patchOf(draft: InstanceDraft, stored: Instance): InstancePatch {
  const patch: InstancePatch = {};
  const clientId = draft.twitchClientId.trim() || null;
  if (clientId !== stored.twitchClientId) patch.twitchClientId = clientId;
  const nextRoots = roots(draft.libraryRoots);
  if (JSON.stringify(nextRoots) !== JSON.stringify(stored.libraryRoots)) patch.libraryRoots = nextRoots;
  if (draft.downloadsMaxConcurrent.trim() !== String(stored.downloadsMaxConcurrent)) {
    patch.downloadsMaxConcurrent = integer(draft.downloadsMaxConcurrent);
  }
  if (draft.downloadEventsRetentionDays.trim() !== String(stored.downloadEventsRetentionDays)) {
    patch.downloadEventsRetentionDays = integer(draft.downloadEventsRetentionDays);
  }
  return patch;
}

/** What the page shows while a values patch is in flight (nulls fall back to what is shown now). */
export function previewOf(current: Instance, patch: InstancePatch): Instance {
  return {
    ...current,
    twitchClientId: 'twitchClientId' in patch ? (patch.twitchClientId ?? null) : current.twitchClientId,
    libraryRoots: patch.libraryRoots ?? current.libraryRoots,
    downloadsMaxConcurrent: patch.downloadsMaxConcurrent ?? current.downloadsMaxConcurrent,
    downloadEventsRetentionDays: patch.downloadEventsRetentionDays ?? current.downloadEventsRetentionDays,
  };
}
