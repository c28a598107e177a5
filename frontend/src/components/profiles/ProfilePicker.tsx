import { createSignal, For, Match, Show, Switch, type JSX } from 'solid-js';
import { toApiError, type ApiError } from '../../api/client';
import { pinAsked, type OwnerPinSetup, type Profile } from '../../api/profiles';
import { createCountdown, waitText } from '../../pages/auth/AuthForm';
import type { ProfileStore } from '../../stores/profiles';
import { ErrorState } from '../ui/ErrorState';
import { OwnerPinForm } from './OwnerPinForm';
import { ProfileAvatar } from './ProfileAvatar';
import { PinPad } from './PinPad';

/** What to say when the API refuses a PIN. */
export function pinMessage(error: ApiError, waitSeconds: number): string {
  if (error.code === 'wrong_pin') return 'Wrong PIN. Try again.';
  if (error.code === 'pin_required') return "Enter this profile's PIN.";
  if (error.code === 'invalid_credentials') return 'The password is wrong.';
  if (error.code === 'owner_pin_setup') return 'Enter the password and a new PIN.';
  if (error.status === 429) return `Too many wrong PINs. Try again in ${waitText(waitSeconds)}.`;
  return error.message;
}

/** The profile being opened, over what it asks for. */
function Chosen(props: { profile: Profile; children: JSX.Element }) {
  return (
    <>
      <ProfileAvatar profile={props.profile} size="lg" />
      <div class="max-w-md text-center">
        <h1 class="text-3xl font-semibold tracking-tight text-ink sm:text-4xl">{props.profile.name}</h1>
        <p class="mt-2 text-ink-muted">{props.children}</p>
      </div>
    </>
  );
}

/**
 * "Who's watching?": one big tile per profile; a PIN profile asks for its PIN on a pad first, and so does every
 * adult profile picked from a kid's profile (one without a PIN of its own takes the account owner's; while the
 * owner has none, the account's password sets it). `onChosen` runs once the session acts as the chosen profile.
 */
export function ProfilePicker(props: {
  store: ProfileStore;
  onChosen: (profile: Profile | undefined) => void;
  /** Under the tiles (not on the PIN pad): e.g. "Manage profiles". */
  children?: JSX.Element;
}) {
  const [asking, setAsking] = createSignal<Profile>();
  const [settingUp, setSettingUp] = createSignal<Profile>();
  const [busyId, setBusyId] = createSignal<string>();
  const [error, setError] = createSignal<ApiError>();
  const cooldown = createCountdown();

  const owner = () => props.store.profiles().find((profile) => profile.isOwner);
  const asked = (profile: Profile) => pinAsked(profile, props.store.current(), owner());

  const choose = async (profile: Profile, pin?: string, setup?: OwnerPinSetup) => {
    if (busyId()) return;
    const ask = asked(profile);
    if (ask && pin === undefined && setup === undefined) {
      setError(undefined);
      if (ask === 'setup') setSettingUp(profile);
      else setAsking(profile);
      return;
    }
    setBusyId(profile.id);
    setError(undefined);
    try {
      props.onChosen(await props.store.select(profile.id, pin, setup));
    } catch (cause) {
      const failure = toApiError(cause);
      if (failure.status === 429) cooldown.start(failure.retryAfter ?? 30);
      if (failure.code === 'pin_required') setAsking(profile);
      if (failure.code === 'owner_pin_setup') setSettingUp(profile);
      setError(failure);
    } finally {
      setBusyId(undefined);
    }
  };

  const back = () => {
    setAsking(undefined);
    setSettingUp(undefined);
    setError(undefined);
  };

  return (
    <div class="flex w-full flex-col items-center">
      <Switch>
        <Match when={asking()}>
          {(profile) => (
            <div class="flex flex-col items-center gap-6 animate-enter">
              <Chosen profile={profile()}>
                {asked(profile()) === 'owner' ? "Enter the account owner's PIN to continue." : 'Enter your PIN to continue.'}
              </Chosen>
              <PinPad
                label={`PIN for ${profile().name}`}
                busy={busyId() === profile().id}
                lockedFor={cooldown.left()}
                error={error() ? pinMessage(error() as ApiError, cooldown.left()) : undefined}
                onSubmit={(pin) => void choose(profile(), pin)}
                onCancel={back}
              />
            </div>
          )}
        </Match>
        <Match when={settingUp()}>
          {(profile) => (
            <div class="flex w-full flex-col items-center gap-6 animate-enter">
              <Chosen profile={profile()}>
                With a kid profile here, {owner()?.name ?? 'the account owner'}'s profile needs a PIN. Enter the account's password and choose one.
              </Chosen>
              <OwnerPinForm
                ownerName={owner()?.name ?? 'the account owner'}
                busy={busyId() === profile().id}
                error={error() ? pinMessage(error() as ApiError, cooldown.left()) : undefined}
                onSubmit={(setup) => void choose(profile(), undefined, setup)}
                onCancel={back}
              />
            </div>
          )}
        </Match>
        <Match when={true}>
          <h1 class="text-center text-3xl font-semibold tracking-tight text-ink sm:text-5xl">Who's watching?</h1>
          <Show when={error()}>
            {(failure) => <p role="alert" class="mt-6 text-center text-sm text-danger">{pinMessage(failure(), cooldown.left())}</p>}
          </Show>
          <ul aria-label="Profiles" class="mt-12 flex flex-wrap justify-center gap-6 sm:gap-10">
            <For each={props.store.profiles()}>
              {(profile) => (
                <li>
                  <button
                    type="button"
                    class="group flex w-32 flex-col items-center gap-3 rounded-3xl p-2 outline-none sm:w-40"
                    aria-label={`${profile.name}${profile.kind === 'kid' ? ', kid profile' : ''}${profile.hasPin ? ', PIN protected' : ''}`}
                    aria-busy={busyId() === profile.id}
                    disabled={Boolean(busyId())}
                    onClick={() => void choose(profile)}
                  >
                    <span class="rounded-2xl ring-offset-4 ring-offset-canvas transition-[box-shadow,transform] duration-200 group-hover:scale-105 group-hover:ring-4 group-hover:ring-ink/70 group-focus-visible:scale-105 group-focus-visible:ring-4 group-focus-visible:ring-accent">
                      <ProfileAvatar profile={profile} size="lg" showLock />
                    </span>
                    <span class="max-w-full truncate text-base text-ink-muted transition-colors group-hover:text-ink group-focus-visible:text-ink">
                      {profile.name}
                    </span>
                    <Show when={profile.kind === 'kid'}>
                      <span class="-mt-2 rounded-full bg-secondary-soft px-2 py-0.5 text-xs font-medium text-ink">Kids</span>
                    </Show>
                  </button>
                </li>
              )}
            </For>
          </ul>
          <Show when={props.store.error()}>
            {(failure) => (
              <div class="mt-10 w-full max-w-md">
                <ErrorState error={failure()} title="Couldn't load the profiles" onRetry={() => void props.store.load()} />
              </div>
            )}
          </Show>
          {props.children}
        </Match>
      </Switch>
    </div>
  );
}
