import { render, screen, waitFor, within } from '@solidjs/testing-library';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import App from '../App';
import { resetSessionForTests } from '../stores/session';
import { clearToasts } from '../stores/toasts';
import { clearSessionCookie, fakeApi, jsonResponse, recordRequests, sessionBody, testUser, type Route } from '../test/fakes';

const admin = { ...testUser, role: 'admin' as const };
const SECRET = 'sk-super-secret-123';
const prowlarr = {
  id: 'i1', name: 'Prowlarr', url: 'http://prowlarr.lan:9696/1/api', apiKeySet: true, categories: [5000, 2000], enabled: true,
  caps: null, capsCheckedAt: null, createdAt: '2026-11-01T10:00:00Z', updatedAt: '2026-11-01T10:00:00Z',
};

function openIndexers(routes: Record<string, Route> = {}) {
  const recorded = recordRequests(routes);
  fakeApi({
    'POST /api/v1/auth/refresh': () => jsonResponse(200, { ...sessionBody(), user: admin }),
    'GET /api/v1/auth/me': () => jsonResponse(200, admin),
    'GET /api/v1/admin/indexers': () => jsonResponse(200, { items: [prowlarr] }),
    ...recorded.routes,
  });
  window.history.replaceState(null, '', '/app/admin?tab=indexers');
  render(() => <App />);
  return recorded.sent;
}

beforeAll(() => import('./Admin'), 60_000);
beforeEach(() => resetSessionForTests());
afterEach(() => {
  clearSessionCookie();
  clearToasts();
});

describe('admin indexers', { timeout: 20_000 }, () => {
  it('lists indexers with their key stored but never shown, and tests one: caps, then an error', async () => {
    const user = userEvent.setup();
    let tests = 0;
    openIndexers({
      'POST /api/v1/admin/indexers/i1/test': () => {
        tests += 1;
        return tests === 1
          ? jsonResponse(200, {
              ...prowlarr, capsCheckedAt: new Date().toISOString(),
              caps: {
                search: { available: true, params: ['q'] }, tvSearch: { available: true, params: ['q', 'season', 'ep', 'tvdbid'] },
                movieSearch: { available: false, params: [] }, categories: [{ id: 5000, name: 'TV' }, { id: 2000, name: 'Movies' }],
              },
            })
          : jsonResponse(502, { error: { code: 'indexer_unreachable', message: 'Prowlarr answered 401: bad API key' } });
      },
    });
    const row = await screen.findByRole('listitem', { name: 'Prowlarr' }, { timeout: 15_000 });
    expect(screen.getByRole('tab', { name: 'Indexers' })).toHaveAttribute('aria-selected', 'true');
    expect(row).toHaveTextContent('http://prowlarr.lan:9696/1/api');
    expect(row).toHaveTextContent('API key stored · categories 5000, 2000 · never tested');

    await user.click(within(row).getByRole('button', { name: 'Test Prowlarr' }));
    const caps = await within(row).findByRole('status');
    expect(caps).toHaveTextContent('Indexer answered');
    expect(within(caps).getAllByRole('listitem').map((li) => li.textContent)).toEqual([
      'Search: q', 'TV search: q, season, ep, tvdbid', 'Movie search: not supported', 'Categories: TV (5000), Movies (2000)',
    ]);
    expect(row).toHaveTextContent('tested just now'); // the row shows the stored test time

    await user.click(within(row).getByRole('button', { name: 'Test Prowlarr' }));
    expect(await within(row).findByRole('alert')).toHaveTextContent('Prowlarr answered 401: bad API key');
    expect(within(row).queryByRole('status')).toBeNull();
  });

  it('adds an indexer: checks the form, sends the key once and never shows it', async () => {
    const user = userEvent.setup();
    const bodies = openIndexers({
      'POST /api/v1/admin/indexers': () => jsonResponse(201, { ...prowlarr, id: 'i2', name: 'Jackett', url: 'http://jackett:9117/api', categories: [] }),
    });
    await screen.findByRole('listitem', { name: 'Prowlarr' }, { timeout: 15_000 });
    await user.click(screen.getByRole('button', { name: 'Add indexer' }));
    const form = screen.getByRole('form', { name: 'New indexer' });
    await user.click(within(form).getByRole('button', { name: 'Add indexer' }));
    expect(within(form).getByLabelText('Name')).toHaveAttribute('aria-invalid', 'true');
    expect(within(form).getByText('The API key from Prowlarr or Jackett.')).toBeInTheDocument();
    expect(bodies).toEqual([]);

    await user.type(within(form).getByLabelText('Name'), 'Jackett');
    await user.type(within(form).getByLabelText('Torznab URL'), 'http://jackett:9117/api');
    const key = within(form).getByLabelText('API key');
    expect(key).toHaveAttribute('type', 'password');
    await user.type(key, SECRET);
    await user.click(within(form).getByRole('button', { name: 'Add indexer' }));

    expect(await screen.findByRole('listitem', { name: 'Jackett' })).toHaveTextContent('API key stored · default categories');
    expect(bodies).toEqual([{ method: 'POST', path: '/api/v1/admin/indexers', body: { name: 'Jackett', url: 'http://jackett:9117/api', categories: [], enabled: true, apiKey: SECRET } }]);
    expect(screen.queryByRole('form', { name: 'New indexer' })).toBeNull();
    expect(document.body.innerHTML).not.toContain(SECRET);
  });

  it('edits without resending the stored key, shows the API field errors, and deletes with rollback', async () => {
    const user = userEvent.setup();
    let patches = 0;
    const bodies = openIndexers({
      'PATCH /api/v1/admin/indexers/i1': () => {
        patches += 1;
        return patches === 1
          ? jsonResponse(400, { error: { code: 'validation_error', message: 'Invalid indexer', fields: { url: 'Credentials in the URL are not allowed' } } })
          : jsonResponse(200, { ...prowlarr, enabled: false });
      },
      'DELETE /api/v1/admin/indexers/i1': () => jsonResponse(409, { error: { code: 'indexer_in_use', message: 'A search is using it right now' } }),
    });
    const row = await screen.findByRole('listitem', { name: 'Prowlarr' }, { timeout: 15_000 });
    await user.click(within(row).getByRole('button', { name: 'Edit Prowlarr' }));
    const form = screen.getByRole('form', { name: 'Edit Prowlarr' });
    expect(within(form).getByLabelText('New API key')).toHaveValue('');
    expect(within(form).getByText('A key is stored. Leave empty to keep it.')).toBeInTheDocument();
    await user.click(within(form).getByLabelText(/^Enabled/));
    await user.click(within(form).getByRole('button', { name: 'Save' }));
    expect(await within(form).findByText('Credentials in the URL are not allowed')).toBeInTheDocument();
    await user.click(within(form).getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(screen.getByRole('listitem', { name: 'Prowlarr' })).toHaveTextContent('Disabled'));
    expect(bodies.map((b) => b.body)).toEqual([
      { name: 'Prowlarr', url: prowlarr.url, categories: [5000, 2000], enabled: false },
      { name: 'Prowlarr', url: prowlarr.url, categories: [5000, 2000], enabled: false },
    ]);

    await user.click(within(screen.getByRole('listitem', { name: 'Prowlarr' })).getByRole('button', { name: 'Delete Prowlarr' }));
    expect(await screen.findByText('A search is using it right now')).toBeInTheDocument();
    expect(await screen.findByRole('listitem', { name: 'Prowlarr' })).toBeInTheDocument();
  });
});
