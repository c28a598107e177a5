import { render, screen, waitFor, within } from '@solidjs/testing-library';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import App from '../App';
import { resetSessionForTests } from '../stores/session';
import { clearToasts } from '../stores/toasts';
import { clearSessionCookie, fakeApi, jsonResponse, recordRequests, sessionBody, testUser, type Route } from '../test/fakes';

const admin = { ...testUser, role: 'admin' as const };
const SECRET = 'plex-token-very-secret';
const hoursAgo = (h: number) => new Date(Date.now() - h * 3_600_000).toISOString();
const counts = { added: 2100, updated: 0, pruned: 12, unmatched: 0, failed: 3 };
const COUNTS = '2,100 added · 0 updated · 12 pruned · 3 failed · 0 unmatched';

const sync = (over: object = {}) => ({
  id: 's1', serverId: 'm1', status: 'completed', trigger: 'schedule', requestedAt: hoursAgo(3), startedAt: hoursAgo(3), finishedAt: hoursAgo(3),
  counts, error: null, ...over,
});
const jellyfin = {
  id: 'm1', kind: 'jellyfin', name: 'Living room', url: 'http://jellyfin.lan:8096', tokenSet: true, allowPrivate: true, enabled: true,
  remoteId: 'f00d', remoteName: 'Living Room', remoteVersion: '10.9.11', lastSync: sync(), createdAt: hoursAgo(48), updatedAt: hoursAgo(48),
};
const plex = {
  id: 'm2', kind: 'plex', name: 'Cabin', url: 'https://plex.example.net:32400', tokenSet: true, allowPrivate: false, enabled: false,
  remoteId: null, remoteName: null, remoteVersion: null, createdAt: hoursAgo(2), updatedAt: hoursAgo(2),
  lastSync: sync({ id: 's9', serverId: 'm2', trigger: 'manual', status: 'failed', counts: { ...counts, added: 0, pruned: 0, failed: 0 }, error: 'The server refused the key or token' }),
};

/** Opens Admin → Media servers over a fake API; returns what the page sent to `routes`. */
function openMediaServers(list: () => object[], routes: Record<string, Route> = {}) {
  const recorded = recordRequests(routes);
  fakeApi({
    'POST /api/v1/auth/refresh': () => jsonResponse(200, { ...sessionBody(), user: admin }),
    'GET /api/v1/auth/me': () => jsonResponse(200, admin),
    'GET /api/v1/admin/media-servers': () => jsonResponse(200, { items: list() }),
    ...recorded.routes,
  });
  window.history.replaceState(null, '', '/app/admin?tab=media-servers');
  render(() => <App />);
  return recorded.sent;
}

const SLOW = { timeout: 15_000 };

beforeAll(() => import('./Admin'), 60_000);
beforeEach(() => resetSessionForTests());
afterEach(() => {
  clearSessionCookie();
  clearToasts();
});

describe('admin media servers', { timeout: 20_000 }, () => {
  it('explains what a server brings when there is none, and opens the form from there', async () => {
    const user = userEvent.setup();
    openMediaServers(() => []);
    expect(await screen.findByRole('heading', { level: 3, name: 'Bring your server' }, SLOW)).toBeInTheDocument();
    expect(screen.getByRole('tab', { name: 'Media servers' })).toHaveAttribute('aria-selected', 'true');
    expect(screen.getByText('Already run Jellyfin or Plex? Add it and /seen/ shows what you own, follows your airing shows and links each title to it.')).toBeInTheDocument();
    expect(screen.getAllByRole('button', { name: 'Add media server' })).toHaveLength(1);
    await user.click(screen.getByRole('button', { name: 'Add media server' }));
    const dialog = await screen.findByRole('dialog', { name: 'Add a media server' });
    expect(within(dialog).getByRole('form', { name: 'New media server' })).toBeInTheDocument();
  });

  it('lists each server with its kind, address, remote identity, schedule and last sync', async () => {
    openMediaServers(() => [jellyfin, plex]);
    const living = await screen.findByRole('listitem', { name: 'Living room' }, SLOW);
    expect(living).toHaveTextContent('Jellyfin');
    expect(living).toHaveTextContent('http://jellyfin.lan:8096');
    expect(living).toHaveTextContent('Living Room · Jellyfin 10.9.11 · home network');
    expect(living).toHaveTextContent('Syncs every 6 hours');
    const last = within(living).getByRole('status', { name: 'Last sync' });
    expect(last).toHaveTextContent('Synced 3 hours ago · on schedule');
    expect(last).toHaveTextContent(COUNTS);

    const cabin = screen.getByRole('listitem', { name: 'Cabin' });
    expect(cabin).toHaveTextContent('Plex');
    expect(cabin).toHaveTextContent('Not reached yet: Test it');
    expect(cabin).toHaveTextContent('Manual sync only');
    const failed = within(cabin).getByRole('status', { name: 'Last sync' });
    expect(failed).toHaveTextContent('Sync failed 3 hours ago');
    expect(failed).toHaveTextContent('0 added · 0 updated · 0 pruned · 0 failed · 0 unmatched');
    expect(failed).toHaveTextContent('The server refused the key or token');
    expect(screen.getAllByRole('button', { name: 'Add media server' })).toHaveLength(1);
  });

  it('adds a Plex server: its own placeholder and token label, the refusals under their fields, then the card', async () => {
    const user = userEvent.setup();
    let servers: object[] = [jellyfin];
    let posts = 0;
    const created = { ...plex, id: 'm3', name: 'Basement', url: 'http://plex.lan:32400', allowPrivate: true, enabled: true, lastSync: null };
    const sent = openMediaServers(() => servers, {
      'POST /api/v1/admin/media-servers': () => {
        posts += 1;
        if (posts === 1) return jsonResponse(503, { error: { code: 'settings_key_missing', message: 'Set SEEN_SETTINGS_KEY on this server to store secrets' } });
        if (posts === 2) return jsonResponse(422, { error: { code: 'validation_error', message: 'Request body is invalid', fields: { url: 'must not contain a query, a fragment or spaces' } } });
        if (posts === 3) return jsonResponse(409, { error: { code: 'media_server_name_taken', message: 'A media server with this name exists', fields: { name: 'already used' } } });
        servers = [jellyfin, created];
        return jsonResponse(201, created);
      },
    });
    await screen.findByRole('listitem', { name: 'Living room' }, SLOW);
    await user.click(screen.getByRole('button', { name: 'Add media server' }));
    const form = await screen.findByRole('form', { name: 'New media server' });
    expect(within(form).getByRole('radio', { name: 'Jellyfin' })).toBeChecked();
    expect(within(form).getByLabelText('URL')).toHaveAttribute('placeholder', 'http://jellyfin.lan:8096');
    expect(within(form).getByText('Jellyfin → Dashboard → API Keys → +')).toBeInTheDocument();

    await user.click(within(form).getByRole('radio', { name: 'Plex' }));
    expect(within(form).getByLabelText('URL')).toHaveAttribute('placeholder', 'http://plex.lan:32400');
    const token = within(form).getByLabelText('X-Plex-Token');
    expect(token).toHaveAttribute('type', 'password');
    await user.click(within(form).getByRole('button', { name: 'Add server' }));
    expect(within(form).getByLabelText('Name')).toHaveAttribute('aria-invalid', 'true');
    expect(within(form).getByText('The X-Plex-Token /seen/ signs in with.')).toBeInTheDocument();
    expect(sent).toEqual([]);

    await user.type(within(form).getByLabelText('Name'), 'Basement');
    await user.type(within(form).getByLabelText('URL'), 'http://plex.lan:32400');
    await user.type(within(form).getByLabelText('X-Plex-Token'), SECRET);
    await user.click(within(form).getByLabelText('On my home network'));
    await user.click(within(form).getByRole('button', { name: 'Add server' }));
    expect(await within(form).findByText('Set SEEN_SETTINGS_KEY on this server to store secrets')).toBeInTheDocument();
    expect(within(form).getByLabelText('X-Plex-Token')).toHaveValue(''); // never kept after an attempt

    await user.type(within(form).getByLabelText('X-Plex-Token'), SECRET);
    await user.click(within(form).getByRole('button', { name: 'Add server' }));
    expect(await within(form).findByText('must not contain a query, a fragment or spaces')).toBeInTheDocument();
    expect(within(form).getByLabelText('URL')).toHaveAttribute('aria-invalid', 'true');

    await user.type(within(form).getByLabelText('X-Plex-Token'), SECRET);
    await user.click(within(form).getByRole('button', { name: 'Add server' }));
    expect(await within(form).findByText('already used')).toBeInTheDocument();
    expect(within(form).getByLabelText('Name')).toHaveAttribute('aria-invalid', 'true');

    await user.type(within(form).getByLabelText('X-Plex-Token'), SECRET);
    await user.click(within(form).getByRole('button', { name: 'Add server' }));
    const card = await screen.findByRole('listitem', { name: 'Basement' });
    expect(card).toHaveTextContent('Never synced');
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    const body = { kind: 'plex', name: 'Basement', url: 'http://plex.lan:32400', token: SECRET, allowPrivate: true, enabled: true };
    expect(sent).toEqual(Array.from({ length: 4 }, () => ({ method: 'POST', path: '/api/v1/admin/media-servers', body })));
    expect(document.body.innerHTML).not.toContain(SECRET);
  });

  it('tests a server: who answered, then why it could not be reached', async () => {
    const user = userEvent.setup();
    let tests = 0;
    openMediaServers(() => [jellyfin], {
      'POST /api/v1/admin/media-servers/m1/test': () => {
        tests += 1;
        return tests === 1
          ? jsonResponse(200, { ...jellyfin, remoteName: 'Lounge', remoteVersion: '10.10.0' })
          : jsonResponse(502, { error: { code: 'media_server_unreachable', message: 'Living room: The address is not allowed: 192.168.1.20 is private' } });
      },
    });
    const card = await screen.findByRole('listitem', { name: 'Living room' }, SLOW);
    await user.click(within(card).getByRole('button', { name: 'Test Living room' }));
    expect(await within(card).findByText('Connected to Lounge · Jellyfin 10.10.0')).toBeInTheDocument();
    expect(card).toHaveTextContent('Lounge · Jellyfin 10.10.0 · home network'); // the card shows what the test learnt

    await user.click(within(card).getByRole('button', { name: 'Test Living room' }));
    expect(await within(card).findByRole('alert')).toHaveTextContent('Living room: The address is not allowed: 192.168.1.20 is private');
    expect(within(card).queryByText(/^Connected to/)).toBeNull();
  });

  it('syncs now: follows the sync from running to completed, then shows its counts and reloads the list', async () => {
    const user = userEvent.setup();
    const fresh = { added: 5, updated: 1, pruned: 0, unmatched: 2, failed: 0 };
    const done = sync({ id: 's2', trigger: 'manual', requestedAt: hoursAgo(0), startedAt: hoursAgo(0), finishedAt: hoursAgo(0), counts: fresh });
    let server = { ...jellyfin, lastSync: sync({ counts: { ...counts, added: 1, failed: 0, pruned: 0 } }) };
    let lists = 0;
    let polls = 0;
    const sent = openMediaServers(() => ((lists += 1), [server]), {
      'POST /api/v1/admin/media-servers/m1/sync': () => jsonResponse(202, { syncId: 's2' }),
      'GET /api/v1/admin/media-servers/m1/sync': () => {
        polls += 1;
        if (polls < 2) return jsonResponse(200, { ...done, status: 'running', finishedAt: null, counts: { ...fresh, added: 3 } });
        server = { ...server, lastSync: done };
        return jsonResponse(200, done);
      },
    });
    const card = await screen.findByRole('listitem', { name: 'Living room' }, SLOW);
    const last = within(card).getByRole('status', { name: 'Last sync' });
    expect(last).toHaveTextContent('1 added · 0 updated · 0 pruned · 0 failed · 0 unmatched');
    const listsBefore = lists;

    await user.click(within(card).getByRole('button', { name: 'Sync Living room now' }));
    await waitFor(() => expect(last).toHaveTextContent('Syncing…'));
    expect(within(card).getByRole('button', { name: 'Sync Living room now' })).toBeDisabled();
    await waitFor(() => expect(last).toHaveTextContent('3 added · 1 updated · 0 pruned · 0 failed · 2 unmatched'));

    await waitFor(() => expect(last).toHaveTextContent('Synced just now'), { timeout: 6000 });
    expect(last).toHaveTextContent('5 added · 1 updated · 0 pruned · 0 failed · 2 unmatched');
    expect(within(card).getByRole('button', { name: 'Sync Living room now' })).toBeEnabled();
    expect(polls).toBe(2);
    await waitFor(() => expect(lists).toBeGreaterThan(listsBefore));
    expect(sent.filter((r) => r.method !== 'GET')).toEqual([{ method: 'POST', path: '/api/v1/admin/media-servers/m1/sync', body: undefined }]);
  });

  it('edits a server without retyping its token: only what changed is sent', async () => {
    const user = userEvent.setup();
    const sent = openMediaServers(() => [jellyfin], {
      'PATCH /api/v1/admin/media-servers/m1': () => jsonResponse(200, { ...jellyfin, name: 'Lounge', enabled: false }),
    });
    const card = await screen.findByRole('listitem', { name: 'Living room' }, SLOW);
    await user.click(within(card).getByRole('button', { name: 'Edit Living room' }));
    const form = await screen.findByRole('form', { name: 'Edit Living room' });
    expect(within(form).queryByRole('radio')).toBeNull(); // the kind is chosen once
    expect(within(form).getByLabelText('URL')).toHaveValue('http://jellyfin.lan:8096');
    expect(within(form).getByLabelText('API key')).toHaveValue('');
    expect(within(form).getByText(/^Leave empty to keep the current one\./)).toBeInTheDocument();
    expect(within(form).getByLabelText('On my home network')).toBeChecked();

    await user.clear(within(form).getByLabelText('Name'));
    await user.type(within(form).getByLabelText('Name'), 'Lounge');
    await user.click(within(form).getByLabelText('Sync every 6 hours'));
    await user.click(within(form).getByRole('button', { name: 'Save' }));

    const saved = await screen.findByRole('listitem', { name: 'Lounge' });
    expect(saved).toHaveTextContent('Manual sync only');
    expect(sent).toEqual([{ method: 'PATCH', path: '/api/v1/admin/media-servers/m1', body: { name: 'Lounge', enabled: false } }]);
  });

  it('removes a server only once confirmed, saying its files stay', async () => {
    const user = userEvent.setup();
    let servers: object[] = [jellyfin, plex];
    const sent = openMediaServers(() => servers, {
      'DELETE /api/v1/admin/media-servers/m1': () => {
        servers = [plex];
        return new Response(null, { status: 204 });
      },
    });
    const card = await screen.findByRole('listitem', { name: 'Living room' }, SLOW);
    await user.click(within(card).getByRole('button', { name: 'Remove Living room' }));
    let dialog = await screen.findByRole('dialog', { name: 'Remove Living room?' });
    expect(dialog).toHaveTextContent('what it mirrored from it');
    expect(dialog).toHaveTextContent('your files stay where they are');
    await user.click(within(dialog).getByRole('button', { name: 'Cancel' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    expect(sent).toEqual([]);

    await user.click(within(card).getByRole('button', { name: 'Remove Living room' }));
    dialog = await screen.findByRole('dialog', { name: 'Remove Living room?' });
    await user.click(within(dialog).getByRole('button', { name: 'Remove' }));
    await waitFor(() => expect(screen.queryByRole('listitem', { name: 'Living room' })).toBeNull());
    expect(screen.getByRole('listitem', { name: 'Cabin' })).toBeInTheDocument();
    expect(sent).toEqual([{ method: 'DELETE', path: '/api/v1/admin/media-servers/m1', body: undefined }]);
  });
});
