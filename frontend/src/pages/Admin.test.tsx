import { render, screen, waitFor, within } from '@solidjs/testing-library';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import App from '../App';
import { resetSessionForTests } from '../stores/session';
import { clearToasts } from '../stores/toasts';
import { clearSessionCookie, fakeApi, jsonResponse, sessionBody, testUser, type Route } from '../test/fakes';

const admin = { ...testUser, role: 'admin' as const };
const minutesAgo = (m: number) => new Date(Date.now() - m * 60_000).toISOString();
const GB = 1e9; // sizes are shown in decimal units

const workers = {
  items: [
    { id: 'nas-1', version: '0.4.2', lastSeen: minutesAgo(0), startedAt: minutesAgo(300), freeDiskBytes: 1.5 * GB, activeJobs: 2, online: true },
    { id: 'old-box', version: '0.3.9', lastSeen: minutesAgo(180), startedAt: minutesAgo(900), freeDiskBytes: 20 * GB, activeJobs: 0, online: false },
  ],
};
const cleanupJob = {
  name: 'cleanup.daily', schedule: 'rate(1 day)', canRun: true, status: null, lastStartedAt: null, lastFinishedAt: null,
  durationMs: null, error: null, lastSuccessAt: null, consecutiveFailures: 0, stats: {},
};
const moviesJob = {
  ...cleanupJob, name: 'catalog.tmdb_movies', schedule: 'rate(6 hours)', status: 'failed', lastStartedAt: minutesAgo(30),
  lastFinishedAt: minutesAgo(29), durationMs: 1200, error: 'TMDB answered 401', consecutiveFailures: 3,
};

function openAdmin(routes: Record<string, Route>, user: Omit<typeof testUser, 'role'> & { role: 'user' | 'admin' } = admin) {
  fakeApi({
    'POST /api/v1/auth/refresh': () => jsonResponse(200, { ...sessionBody(), user }),
    'GET /api/v1/auth/me': () => jsonResponse(200, user),
    'GET /api/v1/admin/users': () => jsonResponse(200, { items: [{ ...admin, disabled: false, lastActiveAt: null }], page: 1, pageSize: 25, total: 1 }),
    ...routes,
  });
  window.history.replaceState(null, '', '/app/admin');
  render(() => <App />);
}

// The first render loads the app and page chunks, which can be slow on a busy machine.
const SLOW = { timeout: 15_000 };

beforeEach(() => resetSessionForTests());
afterEach(() => {
  clearSessionCookie();
  clearToasts();
});

describe('admin page', { timeout: 20_000 }, () => {
  it('shows workers with online/offline state and human units', async () => {
    const user = userEvent.setup();
    openAdmin({ 'GET /api/v1/admin/workers': () => jsonResponse(200, workers) });
    await user.click(await screen.findByRole('tab', { name: 'Workers' }, SLOW));

    expect(screen.getByRole('tab', { name: 'Workers' })).toHaveAttribute('aria-selected', 'true');
    const online = await screen.findByRole('listitem', { name: 'Worker nas-1' });
    expect(online).toHaveTextContent('Online');
    expect(online).toHaveTextContent('1.5 GB');
    expect(online).toHaveTextContent('0.4.2');
    const offline = screen.getByRole('listitem', { name: 'Worker old-box' });
    expect(offline).toHaveTextContent('Offline');
    expect(offline).toHaveTextContent('3 hours ago');
    expect(window.location.search).toBe('?tab=workers');
  });

  it('explains an empty worker list and an unavailable heartbeat source', async () => {
    const user = userEvent.setup();
    let fail = true;
    openAdmin({
      'GET /api/v1/admin/workers': () =>
        fail
          ? jsonResponse(503, { error: { code: 'ops_source_unavailable', message: 'Worker heartbeats are unavailable (DynamoDB did not answer)' } })
          : jsonResponse(200, { items: [] }),
    });
    await user.click(await screen.findByRole('tab', { name: 'Workers' }, SLOW));
    expect(await screen.findByText('Worker heartbeats are unavailable (DynamoDB did not answer)')).toBeInTheDocument();
    fail = false;
    await user.click(screen.getByRole('button', { name: 'Try again' }));
    expect(await screen.findByText('No worker has checked in')).toBeInTheDocument();
  });

  it('runs a sync job now: pending button, then the new outcome and a toast', async () => {
    const user = userEvent.setup();
    const runs: string[] = [];
    let finish!: () => void;
    openAdmin({
      'GET /api/v1/admin/sync-jobs': () => jsonResponse(200, { items: [moviesJob, cleanupJob] }),
      'POST /api/v1/admin/sync-jobs/cleanup.daily/run': async (request) => {
        runs.push(request.method);
        await new Promise<void>((resolve) => (finish = resolve));
        return jsonResponse(200, { ...cleanupJob, status: 'ok', lastStartedAt: minutesAgo(0), durationMs: 2400, lastSuccessAt: minutesAgo(0) });
      },
    });
    await user.click(await screen.findByRole('tab', { name: 'Sync jobs' }, SLOW));
    const movies = await screen.findByRole('listitem', { name: 'TMDB movies' });
    expect(movies).toHaveTextContent('Failed');
    expect(movies).toHaveTextContent('TMDB answered 401');
    expect(movies).toHaveTextContent('3 failures in a row');
    const cleanup = screen.getByRole('listitem', { name: 'Cleanup' });
    expect(cleanup).toHaveTextContent('Never run');
    expect(cleanup).toHaveTextContent('Every day');

    await user.click(within(cleanup).getByRole('button', { name: 'Run Cleanup now' }));
    await waitFor(() => expect(runs).toEqual(['POST']));
    expect(within(cleanup).getByRole('button', { name: 'Run Cleanup now' })).toBeDisabled();
    expect(within(cleanup).getByRole('button', { name: 'Run Cleanup now' })).toHaveTextContent('Running…');

    finish();
    expect(await screen.findByText('Cleanup: succeeded')).toBeInTheDocument();
    const after = screen.getByRole('listitem', { name: 'Cleanup' });
    expect(after).toHaveTextContent('Succeeded');
    expect(after).toHaveTextContent('took 2.4 s');
    expect(within(after).getByRole('button', { name: 'Run Cleanup now' })).toBeEnabled();
  });

  it('names each job in words with what it does, and says which key a never-run job lacks', async () => {
    const user = userEvent.setup();
    const monitor = { ...cleanupJob, name: 'picks.monitor', schedule: 'rate(15 minutes)' };
    const shows = { ...cleanupJob, name: 'catalog.tmdb_shows', schedule: 'rate(6 hours)', needsKey: 'tmdb' };
    openAdmin({ 'GET /api/v1/admin/sync-jobs': () => jsonResponse(200, { items: [monitor, shows, cleanupJob] }) });
    await user.click(await screen.findByRole('tab', { name: 'Sync jobs' }, SLOW));
    const watching = await screen.findByRole('listitem', { name: 'Release monitor' });
    expect(watching).toHaveTextContent('Monitor wanted titles for new releases');
    expect(watching).not.toHaveTextContent('picks.monitor');
    expect(within(watching).queryByTestId('job-needs-key')).not.toBeInTheDocument();
    const tmdb = screen.getByRole('listitem', { name: 'TMDB shows' });
    expect(tmdb).toHaveTextContent('Never run');
    expect(within(tmdb).getByTestId('job-needs-key')).toHaveTextContent('Needs a TMDB key — add it in Settings → Instance.');
  });

  it('prints each e-mail once: under a display name, or as the name when there is none', async () => {
    const account = (id: string, email: string, displayName: string | null, disabled = false) => ({
      ...admin, id, email, displayName, disabled, lastActiveAt: null, createdAt: '2026-11-01T10:00:00Z',
    });
    openAdmin({
      'GET /api/v1/admin/users': () =>
        jsonResponse(200, {
          items: [account('u1', 'grace@example.com', 'Grace Hopper'), account('u2', 'linus@example.com', null), account('u3', 'x@example.com', 'x@example.com', true)],
          page: 1, pageSize: 25, total: 3,
        }),
    });
    const table = await screen.findByRole('table', {}, SLOW);
    for (const email of ['grace@example.com', 'linus@example.com', 'x@example.com']) {
      const rows = within(table).getAllByText((_, el) => el?.tagName === 'P' && (el.textContent ?? '').split(' · ').includes(email));
      expect(rows, email).toHaveLength(1);
    }
    expect(within(table).getByText('Grace Hopper')).toBeInTheDocument();
    expect(within(table).getByText('disabled')).toBeInTheDocument();
  });

  it('shows queue depths with dead letters and storage per media type', async () => {
    const user = userEvent.setup();
    openAdmin({
      'GET /api/v1/admin/queues': () =>
        jsonResponse(200, { items: [{ name: 'seen-download-commands', visible: 4, inFlight: 1, deadLetters: 2 }, { name: 'seen-worker-events', visible: 0, inFlight: 0, deadLetters: 0 }] }),
      'GET /api/v1/admin/storage': () =>
        jsonResponse(200, { items: [{ mediaType: 'movie', files: 12, bytes: 30 * GB }, { mediaType: 'show', files: 1, bytes: 10 * GB }], totalBytes: 40 * GB }),
    });
    await user.click(await screen.findByRole('tab', { name: 'Queues & storage' }, SLOW));
    const commands = await screen.findByRole('listitem', { name: 'Download commands' });
    expect(commands).toHaveTextContent('Dead letters waiting');
    expect(within(commands).getByText('2')).toHaveClass('text-danger');
    expect(screen.getByRole('listitem', { name: 'Worker events' })).toHaveTextContent('Healthy');
    expect(await screen.findByText('40 GB')).toBeInTheDocument();
    expect(screen.getByRole('listitem', { name: 'Movies' })).toHaveTextContent('30 GB · 12 files');
    expect(screen.getByRole('listitem', { name: 'Shows' })).toHaveTextContent('10 GB · 1 file');
  });

  it('moves between tabs with the arrow keys', async () => {
    const user = userEvent.setup();
    openAdmin({ 'GET /api/v1/admin/workers': () => jsonResponse(200, { items: [] }) });
    const users = await screen.findByRole('tab', { name: 'Users' }, SLOW);
    expect(users).toHaveAttribute('aria-selected', 'true');
    users.focus();
    await user.keyboard('{ArrowRight}');
    expect(screen.getByRole('tab', { name: 'Workers' })).toHaveFocus();
    expect(screen.getByRole('tab', { name: 'Workers' })).toHaveAttribute('aria-selected', 'true');
    expect(await screen.findByText('No worker has checked in')).toBeInTheDocument();
  });

  it('tells a non-admin the page is not for them', async () => {
    openAdmin({}, testUser);
    expect(await screen.findByRole('heading', { level: 1, name: 'Admins only' }, SLOW)).toBeInTheDocument();
    expect(screen.queryByRole('tab')).not.toBeInTheDocument();
  });
});
