import { createSignal } from 'solid-js';
import { createApiQuery, setQueryData, type ApiQuery } from '../../api/queryClient';
import { fetchSettings, patchSettings, settingsKeys, type SettingsPatch, type UserSettings } from '../../api/settings';
import { optimistic } from '../../lib/optimistic';

export type { SettingsPatch, UserSettings };
export type PreferenceField = keyof SettingsPatch;

/** The API's field-error key ("libraryRoots.0") as the form field it belongs to ("libraryRoots"). */
export const fieldOf = (key: string) => key.split('.')[0] ?? key;

export function fieldErrorsOf(fields: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, message] of Object.entries(fields)) out[fieldOf(key)] ??= message;
  return out;
}

export interface Preferences {
  query: ApiQuery<UserSettings>;
  /** The API's message for a field whose last save was refused. */
  fieldError: (field: PreferenceField) => string | undefined;
  /** Shows the change at once, sends it, and puts back only these fields if the API refuses. */
  save: (patch: SettingsPatch, failure?: string) => Promise<boolean>;
}

/** Your preferences (GET/PATCH /api/v1/settings), saved field by field with rollback. */
export function createPreferences(): Preferences {
  const query = createApiQuery(() => ({ queryKey: settingsKeys.mine(), queryFn: fetchSettings }));
  const edit = (update: (current: UserSettings) => UserSettings) =>
    setQueryData<UserSettings>(settingsKeys.mine(), (current) => current && update(current));
  const [errors, setErrors] = createSignal<Record<string, string>>({});

  const clearErrors = (fields: string[]) =>
    setErrors((current) => Object.fromEntries(Object.entries(current).filter(([key]) => !fields.includes(key))));

  const save = async (patch: SettingsPatch, failure = "Couldn't save your preference") => {
    const fields = Object.keys(patch) as PreferenceField[];
    clearErrors(fields);
    const error = await optimistic({
      apply: () => {
        const before = query.data;
        // Only the fields being changed are remembered, so a rollback cannot undo a later, successful save.
        const snapshot = Object.fromEntries(fields.map((f) => [f, before?.[f]])) as Partial<UserSettings>;
        edit((current) => ({ ...current, ...patch }) as UserSettings);
        return snapshot;
      },
      commit: async () => {
        const saved = await patchSettings(patch);
        edit((current) => ({ ...current, ...pick(saved, fields), updatedAt: saved.updatedAt }));
      },
      rollback: (snapshot) => edit((current) => ({ ...current, ...snapshot })),
      failure,
    });
    if (error) setErrors((current) => ({ ...current, ...fieldErrorsOf(error.fields) }));
    return !error;
  };

  return { query, fieldError: (field) => errors()[field], save };
}

function pick(settings: UserSettings, fields: PreferenceField[]): Partial<UserSettings> {
  return Object.fromEntries(fields.map((f) => [f, settings[f]]));
}
