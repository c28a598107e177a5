import { render, screen, waitFor, within } from '@solidjs/testing-library';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import App from '../App';
import { resetSessionForTests } from '../stores/session';
import { clearToasts } from '../stores/toasts';
import { clearSessionCookie, fakeApi, jsonResponse, sessionBody, testUser, type Route } from '../test/fakes';

const admin = { ...testUser, role: 'admin' as const };
const minutesAgo = (m: number) => new Date(Date.now() - m * 60_000).toISOString();
const SLOW = { timeout: 15_000 };

const figures = (read: number, malformed: number, inserted: number, updated: number, status = 'done') => ({
  status, read, malformed, skipped: 0, inserted, updated, unchanged: 0, skipReasons: {}, samples: [],
});
const finishedRun = {
  id: 1, status: 'succeeded', trigger: 'schedule', requestedBy: null, startedAt: minutesAgo(600), finishedAt: minutesAgo(540),
  currentFile: null, rowsDone: 1500, error: null,
  files: { 'title.basics': figures(1000, 2, 900, 50), 'title.ratings': figures(500, 0, 0, 480) },
};
const runningRun = {
  ...finishedRun, id: 2, status: 'running', trigger: 'admin', startedAt: minutesAgo(1), finishedAt: null,
  currentFile: 'name.basics', rowsDone: 12345, files: { 'name.basics': figures(12345, 0, 12000, 0, 'running') },
};
const coverage = { keyConfigured: false, covered: 250, total: 1000, libraryCovered: 9, libraryTotal: 10, lastRunAt: minutesAgo(30), lastError: null };

function openTab(routes: Record<string, Route>) {
  fakeApi({
    'POST /api/v1/auth/refresh': () => jsonResponse(200, { ...sessionBody(), user: admin }),
    'GET /api/v1/auth/me': () => jsonResponse(200, admin),
    'GET /api/v1/admin/ratings': () => jsonResponse(200, coverage),
    ...routes,
  });
  window.history.replaceState(null, '', '/app/admin?tab=catalog');
  render(() => <App />);
}

beforeEach(() => resetSessionForTests());
afterEach(() => {
  clearSessionCookie();
  clearToasts();
});

describe('admin: catalog data tab', { timeout: 20_000 }, () => {
  it('shows the last import per file and the ratings coverage as progress bars', async () => {
    openTab({ 'GET /api/v1/admin/imdb': () => jsonResponse(200, { running: false, current: null, runs: [finishedRun], files: [] }) });
    expect(await screen.findByRole('tab', { name: 'Catalog data' }, SLOW)).toHaveAttribute('aria-selected', 'true');
    const last = await screen.findByRole('listitem', { name: 'Last import' });
    expect(last).toHaveTextContent('Succeeded');
    const table = within(last).getByRole('table', { name: 'Last import: files' });
    const basics = within(table).getByRole('row', { name: /title\.basics/ });
    expect(within(basics).getAllByRole('cell').map((c) => c.textContent)).toEqual(['Done', '1,000', '2', '900', '50']);

    const catalog = screen.getByRole('progressbar', { name: 'Catalog titles with ratings' });
    expect(catalog).toHaveAttribute('aria-valuenow', '25');
    expect(screen.getByRole('progressbar', { name: 'Library titles with ratings' })).toHaveAttribute('aria-valuenow', '90');
    expect(screen.getByText(/250 of 1,000/)).toBeInTheDocument();
    expect(screen.getByText(/No OMDb API key/)).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Import now' })).toBeEnabled();
  });

  it('starts an import and shows its progress: the current file and rows done', async () => {
    const user = userEvent.setup();
    let started = false;
    const posts: string[] = [];
    openTab({
      'GET /api/v1/admin/imdb': () =>
        jsonResponse(200, started ? { running: true, current: runningRun, runs: [runningRun, finishedRun], files: [] } : { running: false, current: null, runs: [finishedRun], files: [] }),
      'POST /api/v1/admin/imdb/import': (request) => {
        posts.push(request.method);
        started = true;
        return jsonResponse(202, { runId: 2 });
      },
    });
    await user.click(await screen.findByRole('button', { name: 'Import now' }, SLOW));
    await waitFor(() => expect(posts).toEqual(['POST']));
    const current = await screen.findByRole('listitem', { name: 'Import in progress' });
    expect(current).toHaveTextContent('Running');
    expect(current).toHaveTextContent('Reading name.basics · 12,345 rows done');
    expect(screen.getByRole('button', { name: 'Importing…' })).toBeDisabled();
    expect(screen.getByText('IMDb import started')).toBeInTheDocument();
    // The finished run is still listed under it.
    expect(screen.getByRole('listitem', { name: 'Last import' })).toBeInTheDocument();
  });

  it('says so when an import is already running (409)', async () => {
    const user = userEvent.setup();
    openTab({
      'GET /api/v1/admin/imdb': () => jsonResponse(200, { running: false, current: null, runs: [], files: [] }),
      'POST /api/v1/admin/imdb/import': () => jsonResponse(409, { error: { code: 'conflict', message: 'An import is running' } }),
    });
    expect(await screen.findByText('No IMDb import yet', {}, SLOW)).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Import now' }));
    expect(await screen.findByText('An IMDb import is already running')).toBeInTheDocument();
  });
});
