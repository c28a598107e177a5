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

const IMPORT_FORM = {
  uploadId: '33333333-3333-4333-8333-333333333333',
  url: 'http://127.0.0.1:4566/seen-media',
  fields: { key: 'imports/u/uploads/33333333-3333-4333-8333-333333333333', policy: 'eyJjb25kaXRpb25zIjpbXX0=', 'x-amz-signature': 'feed' },
  maxBytes: 48 * 1024 * 1024,
  expiresAt: '2026-11-25T09:00:00Z',
};

/** The bucket (another origin): its requests are answered by `answer`, the API's by the fake API. */
function bucket(answer: (url: string, init: RequestInit) => Promise<Response>) {
  const apiFetch = globalThis.fetch;
  vi.stubGlobal('fetch', (input: RequestInfo | URL, init?: RequestInit) =>
    typeof input === 'string' && input.startsWith(IMPORT_FORM.url) ? answer(input, init ?? {}) : apiFetch(input, init),
  );
}

const textOf = (file: Blob) =>
  new Promise<string>((resolve) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result));
    reader.readAsText(file);
  });

describe('settings: import', () => {
  it('uploads a file to the bucket, polls the preview, applies it and follows the progress to done', async () => {
    const user = userEvent.setup();
    const id = '22222222-2222-4222-8222-222222222222';
    const uploads: unknown[] = [];
    const forms: unknown[] = [];
    const posted: { url: string; entries: [string, string][]; file: string }[] = [];
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
      'POST /api/v1/imports/uploads': async (request) => {
        forms.push(await request.json());
        return jsonResponse(201, IMPORT_FORM);
      },
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

    bucket(async (url, init) => {
      const form = init.body as FormData;
      const entries = [...form.entries()].map(([k, v]): [string, string] => [k, typeof v === 'string' ? v : `file:${v.name}`]);
      posted.push({ url, entries, file: await textOf(form.get('file') as File) });
      return new Response(null, { status: 204 });
    });
    const form = await screen.findByRole('form', { name: 'Import your history' }, SLOW);
    await user.selectOptions(within(form).getByLabelText('From'), 'letterboxd');
    const text = 'Date,Name,Year\n2024-01-01,Heat,1995\n';
    const file = new File([text], 'diary.csv', { type: 'text/csv' });
    await user.upload(within(form).getByLabelText('Export file'), file);
    await user.click(within(form).getByRole('button', { name: 'Upload' }));

    await waitFor(() => expect(uploads).toHaveLength(1));
    expect(forms).toEqual([{ format: 'letterboxd', filename: 'diary.csv', sizeBytes: text.length }]);
    // The form's fields first and the file last, as S3 requires; the file never goes through the API.
    expect(posted).toEqual([{ url: IMPORT_FORM.url, entries: [...Object.entries(IMPORT_FORM.fields), ['file', 'file:diary.csv']], file: text }]);
    expect(uploads[0]).toEqual({ format: 'letterboxd', filename: 'diary.csv', uploadId: IMPORT_FORM.uploadId });
    const current = await screen.findByRole('region', { name: /Letterboxd · diary\.csv/ });
    await within(current).findByText('Ready to apply', {}, { timeout: 5000 });
    const counts = within(current).getByLabelText('Preview');
    expect(within(counts).getAllByRole('definition').map((d) => d.textContent)).toEqual(['5', '4', '1', '3']);
    expect(within(current).getByRole('list', { name: 'Unmatched rows' })).toHaveTextContent('Obscure Short (1931)');

    await user.click(within(current).getByRole('button', { name: 'Apply 3 changes' }));
    await within(current).findByText('Imported', {}, { timeout: 5000 });
    expect(within(current).getByRole('progressbar', { name: 'Import progress' })).toHaveAttribute('aria-valuenow', '100');
  });
  it('shows why the bucket refused the file, creates no import, and lists skipped lines of a preview', async () => {
    const user = userEvent.setup();
    const id = '44444444-4444-4444-8444-444444444444';
    const creates: unknown[] = [];
    let refuse = true;
    const preview = { rows: 2, matched: 2, unmatched: 0, toAdd: 2, skipped: 3 };
    settingsApi({
      'POST /api/v1/imports/uploads': () => jsonResponse(201, IMPORT_FORM),
      'POST /api/v1/imports': async (request) => {
        creates.push(await request.json());
        return jsonResponse(202, { id, status: 'parsing' });
      },
      [`GET /api/v1/imports/${id}`]: () =>
        jsonResponse(200, {
          id, format: 'trakt', filename: 'history.json', error: null, createdAt: '2026-11-24T10:00:00Z', appliedAt: null,
          status: 'preview', preview, progress: { done: 0, total: 2 }, unmatched: [],
          skippedRows: [{ row: 3, reason: 'A watched episode without its episode details' }, { row: 5, reason: 'Heat: rating inf is not a number' }],
        }),
    });
    bucket(async () =>
      refuse
        ? new Response('<?xml version="1.0"?><Error><Code>EntityTooLarge</Code><Message>Your proposed upload exceeds the maximum allowed size</Message></Error>', { status: 400 })
        : new Response(null, { status: 204 }),
    );
    const form = await screen.findByRole('form', { name: 'Import your history' }, SLOW);
    await user.selectOptions(within(form).getByLabelText('From'), 'trakt');
    await user.upload(within(form).getByLabelText('Export file'), new File(['[]'], 'history.json', { type: 'application/json' }));
    await user.click(within(form).getByRole('button', { name: 'Upload' }));
    expect(await within(form).findByRole('alert')).toHaveTextContent('An export may be at most 48 MiB.');
    expect(creates).toEqual([]);

    refuse = false;
    await user.click(within(form).getByRole('button', { name: 'Upload' }));
    const current = await screen.findByRole('region', { name: /Trakt · history\.json/ });
    await within(current).findByText('Ready to apply', {}, { timeout: 5000 });
    expect(within(current).getByText(/3 lines of the file could not be imported \(first 2 shown\)/)).toBeInTheDocument();
    const skipped = within(current).getByRole('list', { name: 'Skipped lines' });
    expect(within(skipped).getAllByRole('listitem').map((li) => li.textContent)).toEqual([
      '#3A watched episode without its episode details',
      '#5Heat: rating inf is not a number',
    ]);
  });
});
