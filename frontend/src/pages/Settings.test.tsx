import { fireEvent, render, screen, waitFor, within } from '@solidjs/testing-library';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import App from '../App';
import { resetSessionForTests } from '../stores/session';
import { useTheme } from '../stores/theme';
import { clearToasts } from '../stores/toasts';
import { clearSessionCookie, fakeApi, jsonResponse, sessionBody, testUser, type Route } from '../test/fakes';

const saved = {
  watchedThresholdPercent: 90, autoplayNext: true, subtitleLanguage: null, audioLanguage: null,
  theme: 'dark', region: null, updatedAt: null,
};
const instance = {
  tmdbApiKey: { set: true, updatedAt: '2026-11-01T10:00:00Z' },
  twitchClientId: 'abc123',
  twitchClientSecret: { set: false, updatedAt: null },
  opensubtitlesApiKey: { set: false, updatedAt: null },
  tvdbApiKey: { set: false, updatedAt: null },
  tvdbPin: { set: false, updatedAt: null },
  libraryRoots: ['/media/movies'],
  downloadsMaxConcurrent: 3,
  downloadEventsRetentionDays: 90,
};
const admin = { ...testUser, role: 'admin' as const };

/** A settings API that merges patches like the real one, and records every PATCH body. */
function settingsApi(extra: Record<string, Route> = {}, user: Omit<typeof testUser, 'role'> & { role: 'user' | 'admin' } = testUser) {
  const patches: Record<string, unknown>[] = [];
  let current: Record<string, unknown> = { ...saved };
  const calls = fakeApi({
    'POST /api/v1/auth/refresh': () => jsonResponse(200, { ...sessionBody(), user }),
    'GET /api/v1/auth/me': () => jsonResponse(200, user),
    'GET /api/v1/settings': () => jsonResponse(200, current),
    'PATCH /api/v1/settings': async (request) => {
      const body = (await request.json()) as Record<string, unknown>;
      patches.push(body);
      current = { ...current, ...body, updatedAt: '2026-11-22T10:00:00Z' };
      return jsonResponse(200, current);
    },
    ...extra,
  });
  window.history.replaceState(null, '', '/app/settings');
  render(() => <App />);
  return { patches, calls };
}

// The first render loads the app and page chunks, which can be slow on a busy machine.
const SLOW = { timeout: 15_000 };

beforeEach(() => resetSessionForTests());
afterEach(() => {
  useTheme().setPreference('dark'); // the theme store is app-wide: leave it as the next test expects
  clearSessionCookie();
  clearToasts();
});

describe('settings: your preferences', { timeout: 20_000 }, () => {
  it('shows what is saved and sends each change as its own patch', async () => {
    const user = userEvent.setup();
    const { patches } = settingsApi();
    const autoplay = await screen.findByRole('switch', { name: 'Autoplay next episode' }, SLOW);
    const slider = screen.getByRole('slider', { name: 'Count as watched at' });
    expect(autoplay).toHaveAttribute('aria-checked', 'true');
    expect(slider).toHaveValue('90');
    expect(screen.getByRole('combobox', { name: 'Subtitles' })).toHaveValue('');

    await user.click(autoplay);
    expect(autoplay).toHaveAttribute('aria-checked', 'false');
    fireEvent.input(slider, { target: { value: '75' } });
    expect(screen.getByText('75%')).toBeInTheDocument();
    fireEvent.change(slider, { target: { value: '75' } });
    await user.selectOptions(screen.getByRole('combobox', { name: 'Subtitles' }), 'fr');
    await user.selectOptions(screen.getByRole('combobox', { name: 'Release region' }), 'GB');

    await waitFor(() =>
      expect(patches).toEqual([{ autoplayNext: false }, { watchedThresholdPercent: 75 }, { subtitleLanguage: 'fr' }, { region: 'GB' }]),
    );
    expect(screen.getByRole('combobox', { name: 'Subtitles' })).toHaveValue('fr');
    expect(screen.getByRole('combobox', { name: 'Release region' })).toHaveValue('GB');
  });

  it('rolls a refused change back and shows the API message next to the field', async () => {
    const user = userEvent.setup();
    settingsApi({
      'PATCH /api/v1/settings': () =>
        jsonResponse(422, {
          error: { code: 'validation_error', message: 'Request body is invalid', fields: { region: 'Unknown region code' } },
        }),
    });
    const region = await screen.findByRole('combobox', { name: 'Release region' }, SLOW);
    await user.selectOptions(region, 'JP');

    const error = await screen.findByText('Unknown region code');
    expect(error).toHaveAttribute('role', 'alert');
    expect(region).toHaveValue('');
    expect(region).toHaveAttribute('aria-invalid', 'true');
    expect(region.getAttribute('aria-describedby')).toContain(error.id);
    // the other settings are untouched and carry no error
    expect(screen.getByRole('combobox', { name: 'Subtitles' })).not.toHaveAttribute('aria-invalid');
  });

  it('adopts the theme saved to the account on a device that never picked one, and saves a new pick', async () => {
    const user = userEvent.setup();
    const { patches } = settingsApi({
      'GET /api/v1/settings': () => jsonResponse(200, { ...saved, theme: 'light', updatedAt: '2026-11-01T10:00:00Z' }),
    });
    await waitFor(() => expect(document.documentElement).toHaveAttribute('data-theme', 'light'), SLOW);
    const appearance = screen.getByRole('region', { name: 'Appearance' });
    await user.click(within(appearance).getByRole('radio', { name: 'Dark' }));
    await waitFor(() => expect(patches).toEqual([{ theme: 'dark' }]));
    expect(document.documentElement).toHaveAttribute('data-theme', 'dark');
  });

  it('hides the instance section from non-admins', async () => {
    const { calls } = settingsApi();
    await screen.findByRole('switch', { name: 'Autoplay next episode' }, SLOW);
    expect(screen.queryByRole('region', { name: 'Instance' })).not.toBeInTheDocument();
    expect(calls.mock.calls.map(([input]) => String((input as Request).url))).not.toContainEqual(expect.stringContaining('/admin/'));
  });
});

describe('settings: instance (admin)', { timeout: 20_000 }, () => {
  function instanceApi(onPatch: (body: Record<string, unknown>) => Response) {
    const bodies: Record<string, unknown>[] = [];
    settingsApi(
      {
        'GET /api/v1/admin/settings': () => jsonResponse(200, instance),
        'PATCH /api/v1/admin/settings': async (request) => {
          const body = (await request.json()) as Record<string, unknown>;
          bodies.push(body);
          return onPatch(body);
        },
      },
      admin,
    );
    return bodies;
  }

  it('shows secrets only as set / not set, sends a replacement once and never shows it', async () => {
    const user = userEvent.setup();
    const bodies = instanceApi(() => jsonResponse(200, { ...instance, twitchClientSecret: { set: true, updatedAt: '2026-11-22T10:00:00Z' } }));
    const section = await screen.findByRole('region', { name: 'Instance' }, SLOW);
    expect(await within(section).findByTestId('tmdbApiKey-state')).toHaveTextContent(/^Set/);
    expect(within(section).getByTestId('twitchClientSecret-state')).toHaveTextContent('Not set');
    const field = within(section).getByLabelText('Twitch client secret');
    expect(field).toHaveAttribute('type', 'password');
    expect(field).toHaveValue('');

    await user.type(field, 'sup3r-s3cret');
    await user.click(within(field.closest('form')!).getByRole('button', { name: 'Save' }));

    await waitFor(() => expect(within(section).getByTestId('twitchClientSecret-state')).toHaveTextContent(/^Set/));
    expect(bodies).toEqual([{ twitchClientSecret: 'sup3r-s3cret' }]);
    expect(field).toHaveValue('');
    expect(document.body.innerHTML).not.toContain('sup3r-s3cret');
  });

  it('offers a TheTVDB key, says it brings exact air times, and sends it once', async () => {
    const user = userEvent.setup();
    const bodies = instanceApi(() => jsonResponse(200, { ...instance, tvdbApiKey: { set: true, updatedAt: '2026-11-22T10:00:00Z' } }));
    const section = await screen.findByRole('region', { name: 'Instance' }, SLOW);
    const field = await within(section).findByLabelText('TheTVDB API key');
    expect(document.getElementById('tvdbApiKey-hint')).toHaveTextContent(/^Exact episode air times for the calendar/);
    expect(field.getAttribute('aria-describedby')).toContain('tvdbApiKey-hint');
    expect(within(section).getByTestId('tvdbApiKey-state')).toHaveTextContent('Not set');
    expect(within(section).getByTestId('tvdbPin-state')).toHaveTextContent('Not set');

    await user.type(field, 'tvdb-k3y');
    await user.click(within(field.closest('form')!).getByRole('button', { name: 'Save' }));

    await waitFor(() => expect(within(section).getByTestId('tvdbApiKey-state')).toHaveTextContent(/^Set/));
    expect(bodies).toEqual([{ tvdbApiKey: 'tvdb-k3y' }]);
    expect(field).toHaveValue('');
    expect(document.body.innerHTML).not.toContain('tvdb-k3y');
  });

  it('says beside the key, in words, why it cannot be saved on a server without a settings key', async () => {
    const user = userEvent.setup();
    const words = "This server has no key to encrypt secrets with, so this can't be saved. Ask the person who runs /seen/ to set one up (see README: Secrets).";
    const bodies = instanceApi(() => jsonResponse(503, { error: { code: 'settings_key_missing', message: words, fields: { opensubtitlesApiKey: words } } }));
    const section = await screen.findByRole('region', { name: 'Instance' }, SLOW);
    const field = await within(section).findByLabelText('OpenSubtitles API key');
    await user.type(field, 'os-key');
    await user.click(within(field.closest('form')!).getByRole('button', { name: 'Save' }));

    const alert = await within(field.closest('form')!).findByRole('alert');
    expect(alert).toHaveTextContent('This server has no key to encrypt secrets with');
    expect(alert).toHaveTextContent('Ask the person who runs /seen/ to set one up (see README: Secrets)');
    expect(alert).not.toHaveTextContent('SEEN_SETTINGS_KEY');
    expect(field).toHaveAttribute('aria-invalid', 'true');
    expect(field.getAttribute('aria-describedby')).toContain(alert.id);
    expect(within(section).getByTestId('opensubtitlesApiKey-state')).toHaveTextContent('Not set'); // rolled back
    expect(within(section).getByTestId('tmdbApiKey-state')).toHaveTextContent(/^Set/);
    expect(within(within(section).getByLabelText('Replace TMDB API key').closest('form')!).queryByRole('alert')).toBeNull();
    expect(bodies).toEqual([{ opensubtitlesApiKey: 'os-key' }]);
  });

  it('says beside every key field, before anything is typed, that this server cannot store keys', async () => {
    settingsApi({ 'GET /api/v1/admin/settings': () => jsonResponse(200, { ...instance, secretsStorable: false }) }, admin);
    const section = await screen.findByRole('region', { name: 'Instance' }, SLOW);
    for (const label of ['TMDB API key', 'Twitch client secret', 'OpenSubtitles API key', 'TheTVDB API key']) {
      const field = await within(section).findByLabelText(new RegExp(`^(Replace )?${label}$`));
      const note = document.getElementById(`${field.id}-unavailable`);
      expect(note).toHaveTextContent("This server has no key to encrypt secrets with, so keys can't be saved here.");
      expect(note).toHaveTextContent('Ask the person who runs /seen/ to set one up (see README: Secrets).');
      expect(field.getAttribute('aria-describedby')).toContain(`${field.id}-unavailable`);
      expect(field).toBeDisabled();
    }
    // The plain values still save: only secrets need the key.
    expect(within(section).getByLabelText('Twitch client ID')).toBeEnabled();
  });

  it('clears a secret with null and shows field errors for refused values', async () => {
    const user = userEvent.setup();
    const bodies = instanceApi((body) =>
      'tmdbApiKey' in body
        ? jsonResponse(200, { ...instance, tmdbApiKey: { set: false, updatedAt: null } })
        : jsonResponse(422, {
            error: {
              code: 'validation_error',
              message: 'Request body is invalid',
              fields: { 'libraryRoots.0': 'each library root must be an absolute path', downloadsMaxConcurrent: 'Input should be less than or equal to 50' },
            },
          }),
    );
    const section = await screen.findByRole('region', { name: 'Instance' }, SLOW);
    await user.click(await within(section).findByRole('button', { name: 'Clear TMDB API key' }));
    await waitFor(() => expect(within(section).getByTestId('tmdbApiKey-state')).toHaveTextContent('Not set'));

    const roots = within(section).getByLabelText('Library folders');
    await user.clear(roots);
    await user.type(roots, 'media/shows');
    const limit = within(section).getByLabelText('Downloads at once');
    await user.clear(limit);
    await user.type(limit, '80');
    await user.click(within(section).getByRole('button', { name: 'Save instance settings' }));

    expect(await within(section).findByText('each library root must be an absolute path')).toBeInTheDocument();
    expect(within(section).getByText('Input should be less than or equal to 50')).toBeInTheDocument();
    expect(roots).toHaveAttribute('aria-invalid', 'true');
    expect(roots).toHaveValue('media/shows'); // kept as typed so it can be fixed
    expect(within(section).getByLabelText('Twitch client ID')).not.toHaveAttribute('aria-invalid');
    expect(bodies).toEqual([{ tmdbApiKey: null }, { libraryRoots: ['media/shows'], downloadsMaxConcurrent: 80 }]);
  });
});
