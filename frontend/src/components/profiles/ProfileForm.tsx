import { createSignal, For, Show } from 'solid-js';
import { toApiError, type ApiError } from '../../api/client';
import { createProfile, PROFILE_COLORS, RATING_GROUPS, updateProfile, type Profile, type ProfileKind, type ProfileTheme } from '../../api/profiles';
import type { CollectionOut } from '../../api/types';
import { THEME_PREFERENCES, useTheme } from '../../stores/theme';
import { buttonStyles } from '../ui/button';
import { fieldStyles } from '../ui/form';
import { PinInput, PIN_MAX, PIN_MIN } from './PinPad';

const THEME_LABELS: Record<string, string> = { dark: 'Dark', light: 'Light', system: 'Follow the device' };

/** The values the form edits, as the API takes them. */
export interface ProfileValues {
  name: string;
  kind: ProfileKind;
  maxRating: string | null;
  allowedCollections: string[];
  color: string | null;
  theme: ProfileTheme;
  /** A new PIN; null removes the PIN; undefined leaves it as it is. */
  pin?: string | null;
  /** The account owner's new PIN, sent with the household's first kid while the owner's profile has none. */
  ownerPin?: string;
}

/** What the form sends: an adult carries no rating or allow-list; the PIN only when it changes. */
export function profileBody(values: ProfileValues): ProfileValues {
  const kid = values.kind === 'kid';
  const body: ProfileValues = {
    name: values.name.trim(),
    kind: values.kind,
    maxRating: kid ? values.maxRating : null,
    allowedCollections: kid ? values.allowedCollections : [],
    color: values.color,
    theme: values.theme,
  };
  if (values.pin !== undefined) body.pin = values.pin;
  if (kid && values.ownerPin) body.ownerPin = values.ownerPin;
  return body;
}

/** Add or edit a profile; the API's field errors show under their fields. */
export function ProfileForm(props: {
  profile?: Profile;
  collections: CollectionOut[] | undefined;
  /** Colours other profiles wear: a new profile starts with one nobody has. */
  takenColors?: (string | null | undefined)[];
  /** The account owner's profile: while it has no PIN, making a kid profile asks for one (the API needs it). */
  owner?: Profile;
  onSaved: (profile: Profile) => void;
  onCancel: () => void;
}) {
  const existing = props.profile;
  const [name, setName] = createSignal(existing?.name ?? '');
  const [kind, setKind] = createSignal<ProfileKind>(existing?.kind ?? 'adult');
  const [maxRating, setMaxRating] = createSignal(existing?.maxRating ?? 'PG');
  const [allowed, setAllowed] = createSignal<string[]>(existing?.allowedCollections ?? []);
  const freeColor = () => PROFILE_COLORS.find((value) => !props.takenColors?.includes(value)) ?? PROFILE_COLORS[0];
  const [color, setColor] = createSignal<string | null>(existing?.color ?? freeColor());
  const [theme, setTheme] = createSignal<ProfileTheme>(existing?.theme ?? useTheme().preference());
  const [pin, setPin] = createSignal('');
  const [clearPin, setClearPin] = createSignal(false);
  const [ownerPin, setOwnerPin] = createSignal('');
  /** A kid joins the household here while the owner's profile has no PIN: its PIN is asked in the same step. */
  const asksOwnerPin = () =>
    kind() === 'kid' && ((existing?.kind !== 'kid' && props.owner !== undefined && !props.owner.hasPin) || Boolean(error()?.fields.ownerPin));
  const [error, setError] = createSignal<ApiError>();
  const [busy, setBusy] = createSignal(false);

  const fieldError = (field: string) => error()?.fields[field];
  const pinProblem = () => (pin() && pin().length < PIN_MIN ? `A PIN has ${PIN_MIN} to ${PIN_MAX} digits.` : undefined);
  const ownerPinProblem = () => (asksOwnerPin() && ownerPin().length < PIN_MIN ? `A PIN has ${PIN_MIN} to ${PIN_MAX} digits.` : undefined);

  const submit = async (event: SubmitEvent) => {
    event.preventDefault();
    if (busy() || pinProblem() || ownerPinProblem()) return;
    setBusy(true);
    const values = profileBody({
      name: name(),
      kind: kind(),
      maxRating: maxRating(),
      allowedCollections: allowed(),
      color: color(),
      theme: theme(),
      pin: pin() ? pin() : clearPin() ? null : undefined,
      ownerPin: asksOwnerPin() ? ownerPin() : undefined,
    });
    setError(undefined);
    try {
      const saved = existing ? await updateProfile(existing.id, values) : await createProfile(values);
      props.onSaved(saved);
    } catch (cause) {
      setError(toApiError(cause));
    } finally {
      setBusy(false);
    }
  };

  const toggleCollection = (id: string, on: boolean) =>
    setAllowed((current) => (on ? [...new Set([...current, id])] : current.filter((value) => value !== id)));

  const errorLine = (field: string) => (
    <Show when={fieldError(field)}>
      {(message) => (
        <p id={`profile-${field}-error`} class={fieldStyles.error}>
          {message()}
        </p>
      )}
    </Show>
  );

  return (
    <form class="flex flex-col gap-5" onSubmit={submit} novalidate aria-label={existing ? `Edit ${existing.name}` : 'New profile'}>
      <Show when={error() && Object.keys(error()!.fields).length === 0}>
        <p role="alert" class="rounded-xl border border-danger/30 bg-danger/5 p-3 text-sm text-ink">
          {error()!.message}
        </p>
      </Show>
      <div>
        <label for="profile-name" class={fieldStyles.label}>Name</label>
        <input
          id="profile-name"
          class={fieldStyles.input}
          maxLength={40}
          required
          value={name()}
          onInput={(e) => setName(e.currentTarget.value)}
          aria-invalid={fieldError('name') ? 'true' : undefined}
          aria-describedby={fieldError('name') ? 'profile-name-error' : undefined}
        />
        {errorLine('name')}
      </div>

      <fieldset>
        <legend class={fieldStyles.label}>Kind</legend>
        <div class="flex gap-2">
          <For each={['adult', 'kid'] as ProfileKind[]}>
            {(value) => (
              <label class="flex h-10 cursor-pointer items-center gap-2 rounded-full border border-line px-4 text-sm has-[:checked]:border-accent/50 has-[:checked]:bg-accent-soft has-[:disabled]:opacity-50">
                <input
                  type="radio"
                  name="profile-kind"
                  value={value}
                  checked={kind() === value}
                  disabled={existing?.isOwner && value === 'kid'}
                  onChange={() => setKind(value)}
                />
                {value === 'adult' ? 'Adult' : 'Kid'}
              </label>
            )}
          </For>
        </div>
        <Show when={existing?.isOwner}>
          <p class={fieldStyles.hint}>The account's own profile is always an adult.</p>
        </Show>
        {errorLine('kind')}
      </fieldset>

      <Show when={kind() === 'kid'}>
        <div>
          <label for="profile-max-rating" class={fieldStyles.label}>Highest rating allowed</label>
          <select
            id="profile-max-rating"
            class={`${fieldStyles.select} w-full`}
            value={maxRating()}
            onChange={(e) => setMaxRating(e.currentTarget.value)}
            aria-invalid={fieldError('maxRating') ? 'true' : undefined}
          >
            <For each={RATING_GROUPS}>
              {(group) => (
                <optgroup label={group.label}>
                  <For each={group.ratings}>{(rating) => <option value={rating}>{rating}</option>}</For>
                </optgroup>
              )}
            </For>
          </select>
          <p class={fieldStyles.hint}>Titles rated above this are hidden everywhere: Discover, search, the calendar, recommendations, the library.</p>
          {errorLine('maxRating')}
        </div>
        <fieldset>
          <legend class={fieldStyles.label}>Only these collections</legend>
          <Show
            when={props.collections?.length}
            fallback={<p class={fieldStyles.hint}>{props.collections ? 'No collections yet: every title up to the rating is allowed.' : 'Loading collections…'}</p>}
          >
            <div class="flex max-h-40 flex-col gap-1 overflow-y-auto rounded-xl border border-line p-2">
              <For each={props.collections}>
                {(collection) => (
                  <label class="flex cursor-pointer items-center gap-2 rounded-lg px-2 py-1.5 text-sm hover:bg-hover">
                    <input type="checkbox" checked={allowed().includes(collection.id)} onChange={(e) => toggleCollection(collection.id, e.currentTarget.checked)} />
                    {collection.name}
                  </label>
                )}
              </For>
            </div>
            <p class={fieldStyles.hint}>None ticked: every title up to the rating.</p>
          </Show>
          {errorLine('allowedCollections')}
        </fieldset>
        <Show when={asksOwnerPin()}>
          <div>
            <label for="profile-owner-pin" class={fieldStyles.label}>PIN for {props.owner?.name ?? 'the account owner'} (account owner)</label>
            <PinInput id="profile-owner-pin" value={ownerPin()} onInput={setOwnerPin} invalid={Boolean(fieldError('ownerPin'))} describedBy="profile-owner-pin-hint" />
            <p id="profile-owner-pin-hint" class={fieldStyles.hint}>
              With a kid profile in the household, the account owner's profile needs a PIN, so a kid can't switch to it.
            </p>
            {errorLine('ownerPin')}
          </div>
        </Show>
      </Show>

      <div>
        <label for="profile-pin-new" class={fieldStyles.label}>{existing?.hasPin ? 'New PIN' : 'PIN (optional)'}</label>
        <PinInput
          id="profile-pin-new"
          value={pin()}
          onInput={setPin}
          disabled={clearPin()}
          invalid={Boolean(pinProblem() || fieldError('pin'))}
          placeholder={existing?.hasPin ? 'Leave empty to keep the current PIN' : undefined}
        />
        <Show when={pinProblem()}>{(message) => <p class={fieldStyles.error}>{message()}</p>}</Show>
        {errorLine('pin')}
        <Show when={existing?.hasPin}>
          <label class="mt-2 flex items-center gap-2 text-sm text-ink-muted">
            <input type="checkbox" checked={clearPin()} onChange={(e) => setClearPin(e.currentTarget.checked)} />
            Remove the PIN
          </label>
        </Show>
      </div>

      <fieldset>
        <legend class={fieldStyles.label}>Colour</legend>
        <div class="flex flex-wrap gap-2">
          <For each={PROFILE_COLORS}>
            {(value) => (
              <label class="cursor-pointer rounded-full p-0.5 ring-offset-2 ring-offset-surface has-[:checked]:ring-2 has-[:checked]:ring-ink has-[:focus-visible]:ring-2 has-[:focus-visible]:ring-accent">
                <input type="radio" name="profile-color" value={value} class="sr-only" checked={color() === value} onChange={() => setColor(value)} aria-label={`Colour ${value}`} />
                <span aria-hidden="true" class="block size-8 rounded-full" style={{ 'background-color': value }} />
              </label>
            )}
          </For>
        </div>
        {errorLine('color')}
      </fieldset>

      <div>
        <label for="profile-theme" class={fieldStyles.label}>Theme</label>
        <select id="profile-theme" class={`${fieldStyles.select} w-full`} value={theme()} onChange={(e) => setTheme(e.currentTarget.value as ProfileTheme)}>
          <For each={THEME_PREFERENCES}>{(value) => <option value={value}>{THEME_LABELS[value]}</option>}</For>
        </select>
        <p class={fieldStyles.hint}>Applied when this profile is picked.</p>
        {errorLine('theme')}
      </div>

      <div class="flex justify-end gap-3 pt-2">
        <button type="button" class={buttonStyles.ghost} onClick={() => props.onCancel()}>
          Cancel
        </button>
        <button type="submit" class={buttonStyles.primary} disabled={busy() || !name().trim() || Boolean(pinProblem()) || Boolean(ownerPinProblem())}>
          {busy() ? 'Saving…' : existing ? 'Save profile' : 'Add profile'}
        </button>
      </div>
    </form>
  );
}
