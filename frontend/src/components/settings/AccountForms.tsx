import { useNavigate } from '@solidjs/router';
import { createSignal, Show } from 'solid-js';
import { toApiError, type ApiError } from '../../api/client';
import { changePassword, logoutEverywhere } from '../../api/auth';
import { exportMyData } from '../../api/settings';
import { LOGIN_PATH } from '../../navigation';
import { useSession } from '../../stores/session';
import { showToast } from '../../stores/toasts';
import { buttonStyles } from '../ui/button';
import { fieldStyles } from '../ui/form';

const card = 'rounded-2xl border border-line bg-surface p-6';

export function ProfileForm() {
  const session = useSession();
  const [name, setName] = createSignal(session.user()?.displayName ?? '');
  const [busy, setBusy] = createSignal(false);
  const save = async (event: SubmitEvent) => {
    event.preventDefault();
    setBusy(true);
    try {
      await session.updateProfile(name().trim() || null);
      showToast({ tone: 'success', title: 'Profile saved' });
    } catch (error) {
      showToast({ tone: 'error', title: "Couldn't save your name", body: toApiError(error).message });
    } finally {
      setBusy(false);
    }
  };
  return (
    <form class={`${card} flex flex-col gap-4 sm:flex-row sm:items-end`} onSubmit={save}>
      <div class="flex-1">
        <label for="display-name" class={fieldStyles.label}>Display name</label>
        <input id="display-name" class={fieldStyles.input} maxLength={200} value={name()} onInput={(e) => setName(e.currentTarget.value)} placeholder={session.user()?.email} />
        <p class={fieldStyles.hint}>Signed in as {session.user()?.email}. Leave empty to show your e-mail.</p>
      </div>
      <button type="submit" class={`${buttonStyles.secondary} h-11 sm:mb-6`} disabled={busy()}>Save</button>
    </form>
  );
}

export function PasswordForm() {
  const [current, setCurrent] = createSignal('');
  const [next, setNext] = createSignal('');
  const [error, setError] = createSignal<ApiError>();
  const [busy, setBusy] = createSignal(false);
  const save = async (event: SubmitEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      await changePassword(current(), next());
      setCurrent('');
      setNext('');
      showToast({ tone: 'success', title: 'Password changed', body: 'Your other sessions were signed out.' });
    } catch (err) {
      setError(toApiError(err));
    } finally {
      setBusy(false);
    }
  };
  const message = () => {
    const err = error();
    if (!err) return undefined;
    if (err.code === 'invalid_credentials') return 'Your current password is not right.';
    if (err.code === 'weak_password') return `The new password ${err.fields.newPassword ?? 'is too weak'}.`;
    return err.message;
  };
  return (
    <form class={`${card} grid gap-4 sm:grid-cols-[1fr_1fr_auto] sm:items-end`} onSubmit={save}>
      <div>
        <label for="current-password" class={fieldStyles.label}>Current password</label>
        <input id="current-password" type="password" autocomplete="current-password" class={fieldStyles.input} value={current()} onInput={(e) => setCurrent(e.currentTarget.value)} />
      </div>
      <div>
        <label for="new-password" class={fieldStyles.label}>New password</label>
        <input id="new-password" type="password" autocomplete="new-password" class={fieldStyles.input} value={next()} onInput={(e) => setNext(e.currentTarget.value)} />
      </div>
      <button type="submit" class={`${buttonStyles.secondary} h-11`} disabled={busy() || !current() || !next()}>Change password</button>
      <Show when={message()}>
        <p role="alert" class="text-sm text-danger sm:col-span-3">{message()}</p>
      </Show>
    </form>
  );
}

export function DataAndSessions() {
  const session = useSession();
  const navigate = useNavigate();
  const [exporting, setExporting] = createSignal(false);
  const download = async () => {
    setExporting(true);
    try {
      const data = await exportMyData();
      const url = URL.createObjectURL(new Blob([JSON.stringify(data, null, 2)], { type: 'application/json' }));
      const link = Object.assign(document.createElement('a'), { href: url, download: `seen-export-${new Date().toISOString().slice(0, 10)}.json` });
      link.click();
      URL.revokeObjectURL(url);
    } catch (error) {
      showToast({ tone: 'error', title: "Couldn't export your data", body: toApiError(error).message });
    } finally {
      setExporting(false);
    }
  };
  const signOutEverywhere = async () => {
    try {
      await logoutEverywhere();
    } catch (error) {
      showToast({ tone: 'error', title: "Couldn't sign out everywhere", body: toApiError(error).message });
      return;
    }
    await session.logout(); // the server already ended this session; this clears it here
    navigate(LOGIN_PATH, { replace: true });
  };
  return (
    <div class={`${card} flex flex-col gap-5`}>
      <div class="flex flex-col gap-3 sm:flex-row sm:items-center sm:justify-between">
        <div>
          <p class="font-medium text-ink">Export your data</p>
          <p class="mt-1 text-sm text-ink-muted">Watch history, ratings, lists, backlog and collections as one JSON file.</p>
        </div>
        <button type="button" class={buttonStyles.secondary} disabled={exporting()} onClick={() => void download()}>
          {exporting() ? 'Preparing…' : 'Download export'}
        </button>
      </div>
      <div class="flex flex-col gap-3 border-t border-line pt-5 sm:flex-row sm:items-center sm:justify-between">
        <div>
          <p class="font-medium text-ink">Sign out everywhere</p>
          <p class="mt-1 text-sm text-ink-muted">Ends every session of this account, this one included.</p>
        </div>
        <button type="button" class={`${buttonStyles.secondary} hover:text-danger`} onClick={() => void signOutEverywhere()}>
          Sign out everywhere
        </button>
      </div>
    </div>
  );
}
