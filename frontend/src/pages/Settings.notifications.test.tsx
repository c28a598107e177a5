import { render, screen, waitFor, within } from '@solidjs/testing-library';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import App from '../App';
import { resetSessionForTests } from '../stores/session';
import { clearToasts } from '../stores/toasts';
import { clearSessionCookie, fakeApi, jsonResponse, type Route } from '../test/fakes';

const SLOW = { timeout: 15_000 };
const rules = { episodeAired: true, wantedDownloaded: true, downloadFailed: false, gameReleased: true };
const phone = { id: '11111111-1111-4111-8111-111111111111', label: 'Phone', service: 'ntfy', createdAt: '2026-11-01T10:00:00Z' };
const hooks = (generation = 1) => ({
  jellyfin: { path: `/api/v1/scrobble/jellyfin/secret-${generation}`, url: `https://seen.test/api/v1/scrobble/jellyfin/secret-${generation}` },
  plex: { path: `/api/v1/scrobble/plex/secret-${generation}`, url: null },
  generation, createdAt: '2026-11-01T10:00:00Z', updatedAt: '2026-11-01T10:00:00Z',
});

/** /me/preferences that keeps channels like the real one ({id} keeps, {label, url} adds), and records every PUT body. */
function settingsApi(extra: Record<string, Route> = {}) {
  const puts: unknown[] = [];
  let notifications = { rules: { ...rules }, channels: [phone] };
  const calls = fakeApi({
    'GET /api/v1/settings': () => jsonResponse(200, { watchedThresholdPercent: 90, autoplayNext: true, theme: 'dark', updatedAt: null }),
    'GET /api/v1/me/preferences': () => jsonResponse(200, { favoriteGenres: [], notifications }),
    'PUT /api/v1/me/preferences': async (request) => {
      const body = (await request.json()) as { notifications: { rules?: object; channels?: { id?: string; label?: string; url?: string }[] } };
      puts.push(body);
      const n = body.notifications;
      const channels = n.channels?.map((c, i) =>
        c.id ? notifications.channels.find((old) => old.id === c.id)! : { id: `00000000-0000-4000-8000-00000000000${i}`, label: c.label!, service: c.url!.split(':')[0]!, createdAt: '2026-11-24T10:00:00Z' },
      );
      notifications = { rules: { ...notifications.rules, ...n.rules }, channels: channels ?? notifications.channels };
      return jsonResponse(200, { favoriteGenres: [], notifications });
    },
    'GET /api/v1/me/webhooks': () => jsonResponse(200, hooks()),
    'GET /api/v1/imports': () => jsonResponse(200, { items: [], page: 1, pageSize: 10, total: 0 }),
    ...extra,
  });
  window.history.replaceState(null, '', '/app/settings');
  render(() => <App />);
  return { puts, calls };
}

beforeEach(() => resetSessionForTests());
afterEach(() => {
  clearSessionCookie();
  clearToasts();
});

describe('settings: notifications', () => {
  it('toggles a rule on its own, adds a channel to the whole list and removes one', async () => {
    const user = userEvent.setup();
    const { puts } = settingsApi();
    const failed = await screen.findByRole('switch', { name: 'Failed downloads' }, SLOW);
    expect(failed).toHaveAttribute('aria-checked', 'false');
    await user.click(failed);
    await waitFor(() => expect(puts).toEqual([{ notifications: { rules: { downloadFailed: true } } }]));
    expect(failed).toHaveAttribute('aria-checked', 'true');

    const form = screen.getByRole('form', { name: 'Add a channel' });
    await user.type(within(form).getByLabelText('Name'), 'Discord');
    await user.click(within(form).getByRole('button', { name: 'discord://webhook_id/webhook_token' }));
    expect(within(form).getByLabelText('Apprise URL')).toHaveValue('discord://webhook_id/webhook_token');
    await user.click(within(form).getByRole('button', { name: 'Add channel' }));
    await waitFor(() => expect(puts[1]).toEqual({ notifications: { channels: [{ id: phone.id }, { label: 'Discord', url: 'discord://webhook_id/webhook_token' }] } }));
    const channels = await screen.findByRole('list', { name: 'Notification channels' });
    await waitFor(() => expect(within(channels).getAllByRole('listitem').map((li) => li.textContent)).toEqual([expect.stringContaining('Phone'), expect.stringContaining('Discord')]));
    expect(within(form).getByLabelText('Apprise URL')).toHaveValue('');

    await user.click(within(channels).getByRole('button', { name: 'Remove Phone' }));
    await waitFor(() => expect(puts[2]).toEqual({ notifications: { channels: [{ id: '00000000-0000-4000-8000-000000000001' }] } }));
    await waitFor(() => expect(within(channels).getAllByRole('listitem')).toHaveLength(1));
  });

  it("shows why a channel was refused (a URL Apprise doesn't know, no settings key) and keeps what was typed", async () => {
    const user = userEvent.setup();
    let answer = 0;
    settingsApi({
      'PUT /api/v1/me/preferences': () =>
        answer++ === 0
          ? jsonResponse(422, { error: { code: 'validation_error', message: 'Not a notification URL Apprise understands', fields: { 'notifications.channels': 'unsupported or malformed Apprise URL' } } })
          : jsonResponse(503, { error: { code: 'settings_key_missing', message: 'The server has no SEEN_SETTINGS_KEY: secrets cannot be stored' } }),
    });
    const form = await screen.findByRole('form', { name: 'Add a channel' }, SLOW);
    await user.type(within(form).getByLabelText('Name'), 'Pager');
    await user.type(within(form).getByLabelText('Apprise URL'), 'nope://x');
    await user.click(within(form).getByRole('button', { name: 'Add channel' }));
    expect(await within(form).findByRole('alert')).toHaveTextContent('Not a notification URL Apprise understands: unsupported or malformed Apprise URL');
    expect(within(form).getByLabelText('Apprise URL')).toHaveValue('nope://x');
    expect(within(form).getByLabelText('Apprise URL')).toHaveAttribute('aria-invalid', 'true');
    await user.click(within(form).getByRole('button', { name: 'Add channel' }));
    await waitFor(() => expect(within(form).getByRole('alert')).toHaveTextContent('The server has no SEEN_SETTINGS_KEY'));
  });
});

describe('settings: media servers', () => {
  it('copies a webhook URL, and rotates both only after confirming', async () => {
    const user = userEvent.setup();
    const writeText = vi.fn().mockResolvedValue(undefined);
    Object.defineProperty(navigator, 'clipboard', { configurable: true, value: { writeText } });
    let rotations = 0;
    settingsApi({
      'POST /api/v1/me/webhooks/rotate': () => {
        rotations += 1;
        return jsonResponse(200, hooks(2));
      },
    });
    try {
      const jellyfin = await screen.findByLabelText('Jellyfin URL', {}, SLOW);
      expect(jellyfin).toHaveValue('https://seen.test/api/v1/scrobble/jellyfin/secret-1');
      // Plex's answer had no absolute URL: this origin + the path
      expect(screen.getByLabelText('Plex URL')).toHaveValue(`${location.origin}/api/v1/scrobble/plex/secret-1`);
      await user.click(screen.getByRole('button', { name: 'Copy the Jellyfin URL' }));
      expect(writeText).toHaveBeenCalledWith('https://seen.test/api/v1/scrobble/jellyfin/secret-1');
      expect(screen.getByRole('button', { name: 'Copy the Jellyfin URL' })).toHaveTextContent('Copied');

      await user.click(screen.getByRole('button', { name: 'Rotate URLs' }));
      const dialog = await screen.findByRole('dialog', { name: 'Rotate your webhook URLs?' });
      await user.click(within(dialog).getByRole('button', { name: 'Cancel' }));
      expect(rotations).toBe(0);
      await user.click(screen.getByRole('button', { name: 'Rotate URLs' }));
      await user.click(within(await screen.findByRole('dialog', { name: 'Rotate your webhook URLs?' })).getByRole('button', { name: 'Rotate' }));
      await waitFor(() => expect(screen.getByLabelText('Jellyfin URL')).toHaveValue('https://seen.test/api/v1/scrobble/jellyfin/secret-2'));
      expect(rotations).toBe(1);
    } finally {
      Reflect.deleteProperty(navigator, 'clipboard');
    }
  });
});

describe('settings: import', () => {
  it('uploads a file as base64, polls the preview, applies it and follows the progress to done', async () => {
    const user = userEvent.setup();
    const id = '22222222-2222-4222-8222-222222222222';
    const uploads: unknown[] = [];
    let polls = 0;
    let applied = false;
    const base = { id, format: 'letterboxd', filename: 'diary.csv', error: null, createdAt: '2026-11-24T10:00:00Z', appliedAt: null };
    const preview = { rows: 5, matched: 4, unmatched: 1, toAdd: 3 };
    const detail = () => {
      polls += 1;
      if (!applied) {
        return polls < 2
          ? { ...base, status: 'parsing', preview: { rows: 0, matched: 0, unmatched: 0, toAdd: 0 }, progress: { done: 0, total: 0 }, unmatched: [] }
          : { ...base, status: 'preview', preview, progress: { done: 0, total: 3 }, unmatched: [{ row: 4, title: 'Obscure Short', year: 1931, reason: 'not in the catalog' }] };
      }
      return polls < 4
        ? { ...base, status: 'applying', preview, progress: { done: 1, total: 3 }, unmatched: [] }
        : { ...base, status: 'applied', preview, progress: { done: 3, total: 3 }, appliedAt: '2026-11-24T10:05:00Z', unmatched: [] };
    };
    settingsApi({
      'POST /api/v1/imports': async (request) => {
        uploads.push(await request.json());
        return jsonResponse(202, { id, status: 'parsing' });
      },
      [`GET /api/v1/imports/${id}`]: () => jsonResponse(200, detail()),
      [`POST /api/v1/imports/${id}/apply`]: () => {
        applied = true;
        return jsonResponse(202, { ...base, status: 'applying', preview, progress: { done: 0, total: 3 } });
      },
    });

    const form = await screen.findByRole('form', { name: 'Import your history' }, SLOW);
    await user.selectOptions(within(form).getByLabelText('From'), 'letterboxd');
    const file = new File(['Date,Name,Year\n2024-01-01,Heat,1995\n'], 'diary.csv', { type: 'text/csv' });
    await user.upload(within(form).getByLabelText('Export file'), file);
    await user.click(within(form).getByRole('button', { name: 'Upload' }));

    await waitFor(() => expect(uploads).toHaveLength(1));
    expect(uploads[0]).toEqual({ format: 'letterboxd', filename: 'diary.csv', content: btoa('Date,Name,Year\n2024-01-01,Heat,1995\n') });
    const current = await screen.findByRole('region', { name: /Letterboxd · diary\.csv/ });
    await within(current).findByText('Ready to apply', {}, { timeout: 5000 });
    const counts = within(current).getByLabelText('Preview');
    expect(within(counts).getAllByRole('definition').map((d) => d.textContent)).toEqual(['5', '4', '1', '3']);
    expect(within(current).getByRole('list', { name: 'Unmatched rows' })).toHaveTextContent('Obscure Short (1931)');

    await user.click(within(current).getByRole('button', { name: 'Apply 3 changes' }));
    await within(current).findByText('Imported', {}, { timeout: 5000 });
    expect(within(current).getByRole('progressbar', { name: 'Import progress' })).toHaveAttribute('aria-valuenow', '100');
  });
});
