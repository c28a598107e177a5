import { LOGIN_PATH } from '../../navigation';
import { A, useNavigate, useSearchParams } from '@solidjs/router';
import { createSignal, Show } from 'solid-js';
import { ApiError, toApiError } from '../../api/client';
import { safeNext } from '../../components/layout/AuthGate';
import { buttonStyles } from '../../components/ui/button';
import { useSession } from '../../stores/session';
import { AuthLayout } from './AuthLayout';
import { commonMessage, createCountdown, FormAlert, TextField, waitText } from './AuthForm';

export const MIN_PASSWORD = 10;

export default function RegisterPage() {
  const session = useSession();
  const navigate = useNavigate();
  const [params] = useSearchParams<{ next?: string }>();
  const [name, setName] = createSignal('');
  const [email, setEmail] = createSignal('');
  const [password, setPassword] = createSignal('');
  const [error, setError] = createSignal<ApiError>();
  const [busy, setBusy] = createSignal(false);
  const cooldown = createCountdown();

  const submit = async (event: SubmitEvent) => {
    event.preventDefault();
    if (busy() || cooldown.left() > 0) return;
    setBusy(true);
    setError(undefined);
    try {
      await session.register(email().trim(), password(), name());
      navigate(safeNext(params.next), { replace: true });
    } catch (err) {
      const apiError = toApiError(err);
      setError(apiError);
      if (apiError.code === 'rate_limited') cooldown.start(apiError.retryAfter ?? 60);
    } finally {
      setBusy(false);
    }
  };

  const fieldError = (field: 'email' | 'password' | 'displayName') => {
    const err = error();
    if (!err) return undefined;
    if (field === 'email' && err.code === 'email_taken') return 'An account with this e-mail already exists.';
    if (field === 'password' && err.code === 'weak_password') {
      const detail = err.fields.password ?? err.fields.newPassword;
      return detail ? `The password ${detail}.` : err.message;
    }
    return err.fields[field];
  };

  const message = () => {
    const err = error();
    if (!err) return undefined;
    if (err.code === 'email_taken' || err.code === 'weak_password' || err.code === 'validation_error') return undefined;
    return commonMessage(err);
  };

  return (
    <AuthLayout
      title="Create your account"
      subtitle="Your watchlist, history and library — on your own server."
      footer={
        <>
          Already have an account?{' '}
          <A href={`${LOGIN_PATH}${params.next ? `?next=${encodeURIComponent(safeNext(params.next))}` : ''}`} class="font-medium text-accent-ink hover:underline">
            Sign in
          </A>
        </>
      }
    >
      <form class="flex flex-col gap-5" onSubmit={submit} novalidate>
        <Show when={message()}>
          {(text) => (
            <FormAlert
              message={cooldown.left() > 0 ? `${text()} Try again in ${waitText(cooldown.left())}.` : text()}
              code={error()?.code}
            />
          )}
        </Show>
        <TextField id="displayName" label="Name" autocomplete="name" value={name()} onInput={setName} error={fieldError('displayName')} hint="Optional — shown in the app instead of your e-mail." />
        <TextField id="email" label="E-mail" type="email" autocomplete="email" required value={email()} onInput={setEmail} error={fieldError('email')} />
        <TextField
          id="password"
          label="Password"
          type="password"
          autocomplete="new-password"
          required
          value={password()}
          onInput={setPassword}
          error={fieldError('password')}
          hint={`At least ${MIN_PASSWORD} characters.`}
        />
        <button type="submit" class={`${buttonStyles.primary} mt-2 h-11 w-full`} disabled={busy() || cooldown.left() > 0}>
          {busy() ? 'Creating account…' : 'Create account'}
        </button>
      </form>
    </AuthLayout>
  );
}
