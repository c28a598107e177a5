import { render, screen, within } from '@solidjs/testing-library';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import App from '../../App';
import { resetSessionForTests } from '../../stores/session';
import { clearToasts } from '../../stores/toasts';
import { clearSessionCookie, fakeApi, jsonResponse, recordRequests, type Route } from '../../test/fakes';

const ID = '3f0c6a55-9d1e-4b8e-a2c4-5b6d7e8f9a0b';
const hoursAgo = (h: number) => new Date(Date.now() - h * 3_600_000).toISOString();
const source = (over: object = {}) => ({
  kind: 'letterboxd', url: 'https://letterboxd.com/dave/list/faves/', status: 'synced', syncedAt: hoursAgo(3),
  requestedAt: hoursAgo(3), entries: 4, unmatched: 1, unmatchedTitles: ['Obscure Short (1931)'], errorCode: null, error: null, ...over,
});
const collectionOut = (over: object = {}) => ({
  id: ID, name: "Dave's faves", description: null, position: 1, itemCount: 3, createdAt: hoursAgo(30), updatedAt: hoursAgo(3),
  source: source(), ...over,
});

function open(path: string, routes: Record<string, Route>) {
  const recorded = recordRequests(routes);
  fakeApi({
    'GET /api/v1/collections': () => jsonResponse(200, { items: [collectionOut()] }),
    [`GET /api/v1/collections/${ID}/items`]: () => jsonResponse(200, { items: [], page: 1, pageSize: 100, total: 0 }),
    ...recorded.routes,
  });
  window.history.replaceState(null, '', path);
  render(() => <App />);
  return recorded.sent;
}

beforeAll(() => Promise.all([import('../../pages/Collections'), import('../../pages/CollectionDetail')]), 60_000);
beforeEach(() => resetSessionForTests());
afterEach(() => {
  clearSessionCookie();
  clearToasts();
});

describe('lists as collections', { timeout: 20_000 }, () => {
  it('imports a pasted list URL and opens the new collection', async () => {
    const user = userEvent.setup();
    const sent = open('/app/collections', {
      'POST /api/v1/collections/import': () => jsonResponse(202, { collectionId: ID }),
      [`GET /api/v1/collections/${ID}`]: () => jsonResponse(200, collectionOut({ name: 'Importing…', itemCount: 0, source: source({ status: 'queued', syncedAt: null, unmatched: 0, unmatchedTitles: [] }) })),
    });
    await user.click(await screen.findByRole('button', { name: 'Import a list' }));
    await user.type(screen.getByLabelText('List URL'), 'https://letterboxd.com/dave/list/faves/');
    await user.click(screen.getByRole('button', { name: 'Import' }));
    expect(await screen.findByRole('heading', { level: 1, name: 'Importing…' })).toBeInTheDocument();
    expect(screen.getByTestId('source-status')).toHaveTextContent('Syncing…');
    expect(sent[0]).toEqual({ method: 'POST', path: '/api/v1/collections/import', body: { url: 'https://letterboxd.com/dave/list/faves/' } });
  });

  it('says why a URL cannot be imported', async () => {
    const user = userEvent.setup();
    open('/app/collections', {
      'POST /api/v1/collections/import': () => jsonResponse(400, { error: { code: 'unsupported_list_url', message: 'Not a list we can import', fields: { url: 'unsupported list URL' } } }),
    });
    await user.click(await screen.findByRole('button', { name: 'Import a list' }));
    await user.type(screen.getByLabelText('List URL'), 'https://example.com/x');
    await user.click(screen.getByRole('button', { name: 'Import' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('Not a list we can import');
  });

  it('shows where an imported collection comes from, when it synced, what did not match, and syncs it now', async () => {
    const user = userEvent.setup();
    const sent = open(`/app/collections/${ID}`, {
      [`GET /api/v1/collections/${ID}`]: () => jsonResponse(200, collectionOut()),
      [`POST /api/v1/collections/${ID}/sync`]: () => jsonResponse(202, { collectionId: ID }),
    });
    const bar = await screen.findByRole('region', { name: 'List source' });
    expect(within(bar).getByRole('link', { name: /Letterboxd list/ })).toHaveAttribute('href', 'https://letterboxd.com/dave/list/faves/');
    expect(within(bar).getByTestId('source-status')).toHaveTextContent('Synced 3 hours ago');
    expect(bar).toHaveTextContent('1 not matched');
    expect(bar).toHaveTextContent('Obscure Short (1931)');
    await user.click(within(bar).getByRole('button', { name: 'Sync now' }));
    expect(sent.filter((r) => r.method === 'POST')).toEqual([{ method: 'POST', path: `/api/v1/collections/${ID}/sync`, body: undefined }]);
  });

  it('uploads a list export file and opens the new collection', async () => {
    const user = userEvent.setup();
    const csv = 'Letterboxd list export v7\nDate,Name,Tags,URL,Description\n2026-11-01,Faves,,,\n\nPosition,Name,Year,URL,Description\n1,Heat,1995,,\n';
    const sent = open('/app/collections', {
      'POST /api/v1/collections/import/file': () => jsonResponse(202, { collectionId: ID }),
      [`GET /api/v1/collections/${ID}`]: () => jsonResponse(200, collectionOut({ name: 'Importing…', itemCount: 0, source: source({ status: 'queued', syncedAt: null, unmatched: 0, unmatchedTitles: [] }) })),
    });
    await user.click(await screen.findByRole('button', { name: 'Import a list' }));
    await user.upload(screen.getByLabelText('or upload an export file'), new File([csv], 'faves.csv', { type: 'text/csv' }));
    expect(screen.getByLabelText('List URL')).toBeDisabled();
    await user.click(screen.getByRole('button', { name: 'Import' }));
    expect(await screen.findByRole('heading', { level: 1, name: 'Importing…' })).toBeInTheDocument();
    expect(sent[0]).toEqual({ method: 'POST', path: '/api/v1/collections/import/file', body: { filename: 'faves.csv', content: btoa(csv) } });
  });

  it("shows the API's reason when a file is not a list export", async () => {
    const user = userEvent.setup({ applyAccept: false });
    open('/app/collections', {
      'POST /api/v1/collections/import/file': () => jsonResponse(400, { error: { code: 'unsupported_list_file', message: 'Trakt has no list export file: import a Trakt list by its URL' } }),
    });
    await user.click(await screen.findByRole('button', { name: 'Import a list' }));
    await user.upload(screen.getByLabelText('or upload an export file'), new File(['[]'], 'trakt.json', { type: 'application/json' }));
    await user.click(screen.getByRole('button', { name: 'Import' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('Trakt has no list export file');
    expect(screen.getByRole('dialog')).toBeInTheDocument();
  });

  it('refuses a file over 4 MB without sending it', async () => {
    const user = userEvent.setup({ applyAccept: false });
    const sent = open('/app/collections', {});
    await user.click(await screen.findByRole('button', { name: 'Import a list' }));
    const huge = new File(['x'], 'huge.csv', { type: 'text/csv' });
    Object.defineProperty(huge, 'size', { value: 5 * 1024 * 1024 });
    await user.upload(screen.getByLabelText('or upload an export file'), huge);
    await user.click(screen.getByRole('button', { name: 'Import' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('larger than 4 MB');
    expect(sent.filter((r) => r.method === 'POST')).toEqual([]);
  });

  it('shows a one-off import from a file without a link or "Sync now"', async () => {
    open(`/app/collections/${ID}`, {
      [`GET /api/v1/collections/${ID}`]: () => jsonResponse(200, collectionOut({ source: source({ kind: 'imdb', url: null, filename: 'crime.csv' }) })),
    });
    const bar = await screen.findByRole('region', { name: 'List source' });
    expect(within(bar).getByTestId('source-file')).toHaveTextContent('IMDb export file (crime.csv)');
    expect(within(bar).queryByRole('link')).toBeNull();
    expect(within(bar).queryByRole('button', { name: 'Sync now' })).toBeNull();
    expect(bar).toHaveTextContent('upload a newer export');
  });
});
