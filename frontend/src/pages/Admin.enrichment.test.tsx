import { render, screen, waitFor, within } from '@solidjs/testing-library';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import App from '../App';
import { resetSessionForTests } from '../stores/session';
import { clearToasts } from '../stores/toasts';
import { clearSessionCookie, fakeApi, jsonResponse, sessionBody, testUser, type Route } from '../test/fakes';

const admin = { ...testUser, role: 'admin' as const };
const SLOW = { timeout: 15_000 };
const hoursAgo = (h: number) => new Date(Date.now() - h * 3_600_000).toISOString();

const source = (name: string, label: string, more: Record<string, unknown> = {}) => ({
  source: name, label, configured: true, pausable: name !== 'tvdb', paused: false, matched: 0, notFound: 0, pending: 0,
  failed: 0, lastRunAt: null, lastError: null, ...more,
});
const sources = () => [
  source('tmdb', 'TMDB / IGDB', { matched: 900, notFound: 50, pending: 40, failed: 10, lastRunAt: hoursAgo(2) }),
  source('tvdb', 'TVDB air times', { matched: 10 }),
  source('omdb', 'OMDb ratings', { configured: false }),
  source('media_servers', 'Media servers', { matched: 30, notFound: 2 }),
  source('channels', 'YouTube channels', { matched: 3, failed: 1, lastError: 'feed_unreachable' }),
];
const item = (id: string, title: string, kind = 'movie') => ({ id: `srv~${id}`, source: 'media_servers', kind, title, year: 2001, serverName: 'Den', mediaId: null });

function openTab(routes: Record<string, Route>) {
  fakeApi({
    'POST /api/v1/auth/refresh': () => jsonResponse(200, { ...sessionBody(), user: admin }),
    'GET /api/v1/auth/me': () => jsonResponse(200, admin),
    'GET /api/v1/admin/imdb': () => jsonResponse(200, { running: false, current: null, runs: [], files: [] }),
    'GET /api/v1/admin/ratings': () => jsonResponse(200, { keyConfigured: true, covered: 1, total: 2, libraryCovered: 0, libraryTotal: 0, lastRunAt: null, lastError: null }),
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

describe('admin: enrichment at a glance', { timeout: 20_000 }, () => {
  it('shows a card per source with its counts, last run and error in words, and pauses one', async () => {
    const user = userEvent.setup();
    const posts: string[] = [];
    openTab({
      'GET /api/v1/admin/enrichment': () => jsonResponse(200, { sources: sources() }),
      'GET /api/v1/admin/enrichment/unmatched': () => jsonResponse(200, { items: [], nextCursor: null }),
      'POST /api/v1/admin/enrichment/tmdb/pause': (request) => {
        posts.push(new URL(request.url).pathname);
        return jsonResponse(200, { ...sources()[0], paused: true });
      },
    });
    const tmdb = await screen.findByRole('listitem', { name: 'TMDB / IGDB' }, SLOW);
    expect(tmdb).toHaveTextContent('900 matched');
    expect(tmdb).toHaveTextContent('50 not found');
    expect(tmdb).toHaveTextContent('40 pending');
    expect(tmdb).toHaveTextContent('10 failed');
    expect(tmdb).toHaveTextContent('Last run 2 hours ago');
    const channels = screen.getByRole('listitem', { name: 'YouTube channels' });
    expect(channels).toHaveTextContent('YouTube did not answer');
    expect(screen.getByRole('listitem', { name: 'OMDb ratings' })).toHaveTextContent('Not set up: no API key');
    // TVDB is asked inline: nothing to pause; with nothing failed, nothing to retry.
    const tvdb = screen.getByRole('listitem', { name: 'TVDB air times' });
    expect(within(tvdb).queryByRole('button', { name: 'Pause' })).toBeNull();
    expect(within(tvdb).getByRole('button', { name: 'Retry failed' })).toBeDisabled();
    expect(await screen.findByText('Nothing unmatched')).toBeInTheDocument();

    await user.click(within(tmdb).getByRole('button', { name: 'Pause' }));

    await waitFor(() => expect(posts).toEqual(['/api/v1/admin/enrichment/tmdb/pause']));
    expect(await within(tmdb).findByRole('button', { name: 'Resume' })).toBeInTheDocument();
    expect(tmdb).toHaveTextContent('Paused');
  });

  it('retries a source and says how many items are pending again', async () => {
    const user = userEvent.setup();
    let retried = false;
    openTab({
      'GET /api/v1/admin/enrichment': () => jsonResponse(200, { sources: sources().map((s) => (retried && s.source === 'media_servers' ? { ...s, notFound: 0, pending: 2 } : s)) }),
      'GET /api/v1/admin/enrichment/unmatched': () => jsonResponse(200, { items: [], nextCursor: null }),
      'POST /api/v1/admin/enrichment/media_servers/retry': () => {
        retried = true;
        return jsonResponse(202, { source: 'media_servers', reset: 2, queued: true });
      },
    });
    const servers = await screen.findByRole('listitem', { name: 'Media servers' }, SLOW);
    await user.click(within(servers).getByRole('button', { name: 'Retry failed' }));
    expect(await screen.findByText('Media servers: 2 made pending again')).toBeInTheDocument();
    expect(screen.getByText('A sync was queued.')).toBeInTheDocument();
    await waitFor(() => expect(servers).toHaveTextContent('2 pending'));
  });

  it('searches the unmatched items, pages on, and matches one to a catalog title', async () => {
    const user = userEvent.setup();
    const asked: (string | null)[] = [];
    const matched: unknown[] = [];
    openTab({
      'GET /api/v1/admin/enrichment': () => jsonResponse(200, { sources: sources() }),
      'GET /api/v1/admin/enrichment/unmatched': (_request, url) => {
        const q = url.searchParams.get('q');
        asked.push(q);
        if (q === 'garage') return jsonResponse(200, { items: [item('s1', 'Garage Show', 'show')], nextCursor: null });
        if (url.searchParams.get('cursor') === 'next') return jsonResponse(200, { items: [item('m3', 'Zed')], nextCursor: null });
        return jsonResponse(200, { items: [item('m1', 'Home Video'), item('s1', 'Garage Show', 'show')], nextCursor: 'next' });
      },
      'GET /api/v1/search/suggest': () => jsonResponse(200, [
        { id: 7, mediaType: 'movie', title: 'Garage Movie', year: 2001 },
        { id: 8, mediaType: 'show', title: 'The Garage', year: 2001 },
      ]),
      'POST /api/v1/admin/enrichment/unmatched/media_servers/srv~s1/match': async (request) => {
        matched.push(await request.json());
        return jsonResponse(200, { ...item('s1', 'Garage Show', 'show'), mediaId: 8, episodesLinked: 12 });
      },
    });
    const list = await screen.findByRole('list', { name: 'Unmatched items' }, SLOW);
    expect(within(list).getAllByRole('listitem').map((li) => li.getAttribute('aria-label'))).toEqual(['Home Video', 'Garage Show']);
    expect(within(list).getByRole('listitem', { name: 'Home Video' })).toHaveTextContent('2001 · Movie · Den');
    await user.click(screen.getByRole('button', { name: 'Load more' }));
    await waitFor(() => expect(within(list).getAllByRole('listitem')).toHaveLength(3));

    await user.type(screen.getByRole('searchbox', { name: 'Search unmatched items' }), 'garage');
    await waitFor(() => expect(asked).toContain('garage'));
    const filtered = await screen.findByRole('list', { name: 'Unmatched items' });
    await waitFor(() => expect(within(filtered).getAllByRole('listitem')).toHaveLength(1));

    await user.click(screen.getByRole('button', { name: 'Match Garage Show' }));
    const dialog = await screen.findByRole('dialog', { name: 'Match to a title' });
    // Only titles of the item's kind: a show matches a show.
    const choice = await within(dialog).findByRole('button', { name: 'Choose The Garage' });
    expect(within(dialog).queryByRole('button', { name: 'Choose Garage Movie' })).toBeNull();
    await user.click(choice);

    await waitFor(() => expect(matched).toEqual([{ mediaId: 8 }]));
    expect(await screen.findByText('Matched Garage Show')).toBeInTheDocument();
    expect(screen.getByText('Now The Garage (12 episodes linked)')).toBeInTheDocument();
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    expect(await screen.findByText('Nothing unmatched called “garage”')).toBeInTheDocument();
  });

  it('shows the error when a match is refused and keeps the item', async () => {
    const user = userEvent.setup();
    openTab({
      'GET /api/v1/admin/enrichment': () => jsonResponse(200, { sources: sources() }),
      'GET /api/v1/admin/enrichment/unmatched': () => jsonResponse(200, { items: [item('m1', 'Home Video')], nextCursor: null }),
      'GET /api/v1/search/suggest': () => jsonResponse(200, [{ id: 7, mediaType: 'movie', title: 'Home Video (1999)', year: 1999 }]),
      'POST /api/v1/admin/enrichment/unmatched/media_servers/srv~m1/match': () =>
        jsonResponse(422, { error: { code: 'validation_error', message: 'No such title', fields: { mediaId: 'no catalog title has this id' } } }),
    });
    await user.click(await screen.findByRole('button', { name: 'Match Home Video' }, SLOW));
    await user.click(await screen.findByRole('button', { name: 'Choose Home Video (1999)' }));
    expect(await screen.findByText("Couldn't match Home Video")).toBeInTheDocument();
    expect(screen.getByRole('dialog', { name: 'Match to a title' })).toBeInTheDocument();
    await user.keyboard('{Escape}');
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    expect(screen.getByRole('listitem', { name: 'Home Video' })).toBeInTheDocument();
  });
});
