import { PROFILES_PATH, REGISTER_PATH } from '../../navigation';
import { A, useNavigate, useSearchParams } from '@solidjs/router';
import { createSignal, onMount, Show } from 'solid-js';
import { ApiError, toApiError } from '../../api/client';
import { safeNext } from '../../components/layout/AuthGate';
import { buttonStyles } from '../../components/ui/button';
import { useProfiles } from '../../stores/profiles';
import { useSession } from '../../stores/session';
import { AuthLayout } from './AuthLayout';
import { commonMessage, createCountdown, FormAlert, TextField, waitText } from './AuthForm';

export default function LoginPage() {
  const session = useSession();
  const profiles = useProfiles();
  const navigate = useNavigate();
  const [params] = useSearchParams<{ next?: string }>();
  const next = () => safeNext(params.next);
  const [email, setEmail] = createSignal('');
  const [password, setPassword] = createSignal('');
  const [error, setError] = createSignal<ApiError>();
  const [busy, setBusy] = createSignal(false);
  const cooldown = createCountdown();

  // Already signed in (a valid refresh cookie): straight on to the app.
  onMount(async () => {
    if ((await session.bootstrap()) === 'authenticated') navigate(next(), { replace: true });
  });

  const submit = async (event: SubmitEvent) => {
    event.preventDefault();
    if (busy() || cooldown.left() > 0) return;
    setBusy(true);
    setError(undefined);
    try {
      await session.login(email().trim(), password());
      // A household of several profiles picks who is watching first.
      const household = await profiles.load();
      navigate(household.length > 1 ? `${PROFILES_PATH}?next=${encodeURIComponent(next())}` : next(), { replace: true });
    } catch (err) {
      const apiError = toApiError(err);
      setError(apiError);
      if (apiError.code === 'rate_limited') cooldown.start(apiError.retryAfter ?? 60);
    } finally {
      setBusy(false);
    }
  };

  const message = () => {
    const err = error();
    if (!err) return undefined;
    if (err.code === 'invalid_credentials') return "That e-mail and password don't match an account.";
    if (err.code === 'validation_error') return 'Check the highlighted fields.';
    return commonMessage(err);
  };

  return (
    <AuthLayout
      title="Welcome back"
      subtitle="Sign in to pick up where you left off."
      footer={
        <>
          New here?{' '}
          <A href={`${REGISTER_PATH}${params.next ? `?next=${encodeURIComponent(next())}` : ''}`} class="font-medium text-accent-ink hover:underline">
            Create an account
          </A>
        </>
      }
    >
      <form class="flex flex-col gap-5" onSubmit={submit} novalidate>
        <Show when={session.expired() && !error()}>
          <FormAlert message="Your session ended. Sign in again to continue." />
        </Show>
        <Show when={message()}>
          {(text) => (
            <FormAlert
              message={cooldown.left() > 0 ? `${text()} Try again in ${waitText(cooldown.left())}.` : text()}
              code={error()?.code}
            />
          )}
        </Show>
        <TextField id="email" label="E-mail" type="email" autocomplete="email" required autofocus value={email()} onInput={setEmail} error={error()?.fields.email} />
        <TextField id="password" label="Password" type="password" autocomplete="current-password" required value={password()} onInput={setPassword} error={error()?.fields.password} />
        <button type="submit" class={`${buttonStyles.primary} mt-2 h-11 w-full`} disabled={busy() || cooldown.left() > 0}>
          {busy() ? 'Signing in…' : cooldown.left() > 0 ? `Try again in ${waitText(cooldown.left())}` : 'Sign in'}
        </button>
      </form>
    </AuthLayout>
  );
}
