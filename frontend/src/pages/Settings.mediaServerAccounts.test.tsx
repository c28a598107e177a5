import { render, screen, waitFor, within } from '@solidjs/testing-library';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import App from '../App';
import { resetSessionForTests } from '../stores/session';
import { clearToasts } from '../stores/toasts';
import { clearSessionCookie, fakeApi, jsonResponse } from '../test/fakes';

const SLOW = { timeout: 15_000 };
const JELLYFIN = '11111111-1111-4111-8111-111111111111';
const PLEX = '22222222-2222-4222-8222-222222222222';
const done = { status: 'completed', requestedAt: '2026-11-25T10:00:00Z', startedAt: '2026-11-25T10:00:01Z', finishedAt: '2026-11-25T10:00:05Z', watched: 12, inProgress: 2, unmatched: 3, error: null };

/** /me/media-servers that links, unlinks and re-imports like the real one; records each write. */
function accountsApi() {
  const writes: { method: string; path: string; body: unknown }[] = [];
  let servers = [
    { serverId: JELLYFIN, kind: 'jellyfin', name: 'Living room', linked: false, remoteUser: null, lastImport: null },
    { serverId: PLEX, kind: 'plex', name: 'Plex at mum’s', linked: true, remoteUser: 'ana', lastImport: done },
  ];
  const record = async (request: Request, url: URL) => {
    writes.push({ method: request.method, path: url.pathname, body: request.method === 'PUT' ? await request.json() : null });
  };
  fakeApi({
    'GET /api/v1/settings': () => jsonResponse(200, { watchedThresholdPercent: 90, autoplayNext: true, theme: 'dark', updatedAt: null }),
    'GET /api/v1/me/preferences': () => jsonResponse(200, { favoriteGenres: [], notifications: { rules: {}, channels: [] } }),
    'GET /api/v1/imports': () => jsonResponse(200, { items: [], page: 1, pageSize: 10, total: 0 }),
    'GET /api/v1/me/media-servers': () => jsonResponse(200, { items: servers }),
    [`PUT /api/v1/me/media-servers/${JELLYFIN}/link`]: async (request, url) => {
      await record(request, url);
      const body = writes.at(-1)!.body as { password: string };
      if (body.password !== 'right') {
        return jsonResponse(422, { error: { code: 'media_server_account_rejected', message: 'The server did not accept this username or password' } });
      }
      servers = servers.map((s) => (s.serverId === JELLYFIN ? { ...s, linked: true, remoteUser: 'ana', lastImport: { ...done, status: 'queued' } } : s));
      return jsonResponse(200, servers[0]);
    },
    [`DELETE /api/v1/me/media-servers/${PLEX}/link`]: async (request, url) => {
      await record(request, url);
      servers = servers.map((s) => (s.serverId === PLEX ? { ...s, linked: false, remoteUser: null, lastImport: null } : s));
      return new Response(null, { status: 204 });
    },
  });
  window.history.replaceState(null, '', '/app/settings');
  render(() => <App />);
  return writes;
}

beforeEach(() => resetSessionForTests());
afterEach(() => {
  clearSessionCookie();
  clearToasts();
});

describe('settings: your media servers', () => {
  it('links a Jellyfin account (a refusal said plainly), shows the last import and unlinks a Plex one', async () => {
    const user = userEvent.setup();
    const writes = accountsApi();
    const plex = await screen.findByRole('region', { name: 'Plex at mum’s' }, SLOW);
    expect(within(plex).getByTestId('linked-as')).toHaveTextContent('linked as ana');
    expect(within(plex).getByTestId('last-import')).toHaveTextContent('Imported 12 watched, 2 in progress, 3 not in the catalog');

    const living = screen.getByRole('region', { name: 'Living room' });
    const form = within(living).getByRole('form', { name: 'Link your Jellyfin account' });
    await user.type(within(form).getByLabelText('Username'), 'ana');
    await user.type(within(form).getByLabelText('Password'), 'wrong');
    await user.click(within(form).getByRole('button', { name: 'Link' }));
    expect(await within(living).findByRole('alert')).toHaveTextContent('The server did not accept this username or password');

    await user.clear(within(form).getByLabelText('Password'));
    await user.type(within(form).getByLabelText('Password'), 'right');
    await user.click(within(form).getByRole('button', { name: 'Link' }));
    // The list is fetched again: each server's card is drawn anew from the answer.
    const card = (name: string) => screen.getByRole('region', { name });
    await waitFor(() => expect(within(card('Living room')).getByTestId('linked-as')).toHaveTextContent('linked as ana'));
    expect(within(card('Living room')).getByTestId('last-import')).toHaveTextContent('Importing what you played…');
    expect(writes.filter((w) => w.method === 'PUT').map((w) => w.body)).toEqual([
      { username: 'ana', password: 'wrong' },
      { username: 'ana', password: 'right' },
    ]);

    await user.click(within(plex).getByRole('button', { name: 'Unlink' }));
    await waitFor(() => expect(within(card('Plex at mum’s')).getByRole('form', { name: 'Link your Plex account' })).toBeInTheDocument());
    expect(within(card('Plex at mum’s')).getByLabelText('Your X-Plex-Token')).toHaveAttribute('type', 'password');
    expect(writes.at(-1)).toEqual({ method: 'DELETE', path: `/api/v1/me/media-servers/${PLEX}/link`, body: null });
  }, 30_000);
});
