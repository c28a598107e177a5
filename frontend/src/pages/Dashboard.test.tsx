import { render, screen, waitFor, within } from '@solidjs/testing-library';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import App from '../App';
import { resetSessionForTests } from '../stores/session';
import { clearToasts } from '../stores/toasts';
import { clearSessionCookie, fakeApi, jsonResponse } from '../test/fakes';

const card = (id: number, title: string, mediaType = 'movie') => ({ id, mediaType, title, year: 2020, posterPath: null });
const summary = (id: number, title: string, mediaType = 'movie') => ({ id, mediaType, title, year: 2021, posterUrl: null, genres: [] });
const download = (progress: number, status = 'downloading') => ({
  id: '11111111-1111-4111-8111-111111111111', attempt: 1, bytesDone: 10, bytesTotal: 100, createdAt: '2026-11-20T10:00:00Z',
  updatedAt: '2026-11-20T10:00:00Z', progress, retryCount: 0, sourceType: 'magnet', status, title: 'Big Buck Bunny', speedBps: 2_000_000, etaSeconds: 95,
});
const backlog = (id: number, title: string, status: string, lastPlayedAt: string | null = null) => ({
  media: card(id, title, 'game'), status, platform: { id: 1, name: 'PC' }, hoursPlayed: 12, completionPercent: null,
  lastPlayedAt, startedOn: null, finishedOn: null, updatedAt: '2026-11-20T10:00:00Z',
});
const widget = (items: unknown[]) => ({ items, error: null });

const REGIONS = ['Continue watching', 'Watch later', 'Game backlog', 'Recently played', 'Downloads', 'Recommended for you', 'Upcoming releases', 'Trending', 'Recently watched'];

function fullDashboard(downloads: unknown[] = [download(40)]) {
  return {
    continueWatching: widget([{ kind: 'resume', media: card(1, 'Heat'), episode: null, percent: 42, positionSeconds: 3000, durationSeconds: 10200, lastActivityAt: '2026-11-21T20:00:00Z' }]),
    watchLater: widget([{ media: card(2, 'Alien'), position: 1, addedAt: '2026-11-01T10:00:00Z' }]),
    gameBacklog: widget([backlog(3, 'Hades', 'active'), backlog(4, 'Celeste', 'paused')]),
    recentlyPlayedGames: widget([backlog(3, 'Hades', 'active', '2026-11-21T18:00:00Z')]),
    activeDownloads: widget(downloads),
    recommendations: widget([{ media: summary(5, 'Arrival'), score: 0.9, reasons: [{ code: 'because_you', text: 'Because you watched Dune' }] }]),
    upcomingReleases: widget([{ id: 9, kind: 'episode_air', title: 'Severance S03E01', date: '2026-11-25', dateEnd: '2026-11-25', precision: 'exact', media: { id: 6, mediaType: 'show', title: 'Severance', posterUrl: null } }]),
    trending: widget([summary(7, 'Oppenheimer')]),
    recentlyWatched: widget([{ id: 'a', media: card(8, 'Fargo', 'show'), episode: { id: 1, seasonNumber: 1, episodeNumber: 2, name: 'x' }, source: 'manual', watchedAt: '2026-11-20T21:00:00Z' }]),
  };
}

const emptyDashboard = () => Object.fromEntries(Object.keys(fullDashboard()).map((k) => [k, widget([])]));

function visit() {
  window.history.replaceState(null, '', '/app/dashboard');
  render(() => <App />);
}

// Compile the lazy page chunk once up front, so the first test's findBy* waits measure rendering only.
beforeAll(() => import('./Dashboard'));
beforeEach(() => resetSessionForTests());
afterEach(() => {
  clearSessionCookie();
  clearToasts();
});

// Page tests render the whole app shell; on a shared 2-core machine the first one also compiles the chunk.
describe('dashboard', { timeout: 20_000 }, () => {
  it('renders every widget with cards linking to detail pages', async () => {
    fakeApi({ 'GET /api/v1/dashboard': () => jsonResponse(200, fullDashboard([download(40, 'completed')])) });
    visit();
    const upcoming = await screen.findByRole('region', { name: 'Upcoming releases' });
    expect(await within(upcoming).findByRole('link', { name: /Severance S03E01/ })).toHaveAttribute('href', '/app/shows/6');
    for (const name of REGIONS) expect(screen.getByRole('region', { name })).toBeInTheDocument();

    const cont = screen.getByRole('region', { name: 'Continue watching' });
    expect(within(cont).getByRole('link', { name: /Heat/ })).toHaveAttribute('href', '/app/movies/1');
    expect(within(cont).getByRole('progressbar', { name: 'Heat progress' })).toHaveAttribute('aria-valuenow', '42');
    const recs = screen.getByRole('region', { name: 'Recommended for you' });
    expect(within(recs).getByRole('link', { name: /Arrival/ })).toHaveTextContent('Because you watched Dune');
    const games = screen.getByRole('region', { name: 'Game backlog' });
    expect(within(games).getByRole('link', { name: /Hades/ })).toHaveAttribute('href', '/app/games/3');
    expect(within(games).getByText('Paused')).toBeInTheDocument();
    expect(within(screen.getByRole('region', { name: 'Downloads' })).getByText('Big Buck Bunny')).toBeInTheDocument();
    expect(within(screen.getByRole('region', { name: 'Recently watched' })).getByRole('link', { name: /Fargo/ })).toHaveAttribute('href', '/app/shows/8');
  });

  it('shows a game out on several platforms as one card that lists them', async () => {
    const game = (id: number, slug: string, name: string, date: string) => ({
      id, kind: 'game_release', title: `Elden Ring (${name})`, date, dateEnd: date, precision: 'exact',
      media: { id: 40, mediaType: 'game', title: 'Elden Ring', posterUrl: null }, platform: { slug, name },
    });
    const data = fullDashboard();
    data.upcomingReleases = widget([game(11, 'pc', 'PC', '2026-11-24'), game(12, 'ps5', 'PS5', '2026-11-24'), game(13, 'xsx', 'Xbox Series X|S', '2026-12-01')]);
    fakeApi({ 'GET /api/v1/dashboard': () => jsonResponse(200, data) });
    visit();
    const upcoming = await screen.findByRole('region', { name: 'Upcoming releases' });
    const cards = await within(upcoming).findAllByRole('link', { name: /Elden Ring/ });
    expect(cards).toHaveLength(1);
    expect(cards[0]).toHaveAttribute('href', '/app/games/40');
    expect(cards[0]).toHaveTextContent('Game · PC, PS5 and Xbox Series X|S');
    expect(cards[0]).toHaveTextContent(/From \S/);
    expect(within(cards[0]!).getByTestId('release-platforms').title).toMatch(/^PC: .* · PS5: .* · Xbox Series X\|S: /);
  });

  it('keeps every region with an empty state and a next step when there is nothing', async () => {
    fakeApi({ 'GET /api/v1/dashboard': () => jsonResponse(200, emptyDashboard()) });
    visit();
    const later = await screen.findByRole('region', { name: 'Watch later' });
    await within(later).findByText(/Your queue is empty/);
    for (const name of REGIONS) {
      const region = screen.getByRole('region', { name });
      expect(within(region).queryByRole('listitem')).not.toBeInTheDocument();
      expect(within(region).getAllByRole('link').length).toBeGreaterThan(0);
    }
    expect(within(screen.getByRole('region', { name: 'Downloads' })).getByRole('link', { name: 'Add a download' })).toHaveAttribute('href', '/app/downloads');
  });

  it('shows a degraded widget as an error on its own and retries the dashboard', async () => {
    const user = userEvent.setup();
    let calls = 0;
    fakeApi({
      'GET /api/v1/dashboard': () => {
        calls += 1;
        const body = fullDashboard();
        return jsonResponse(200, calls === 1 ? { ...body, trending: { items: [], error: 'unavailable' } } : body);
      },
    });
    visit();
    const trending = await screen.findByRole('region', { name: 'Trending' });
    const alert = await within(trending).findByRole('alert');
    expect(alert).toHaveTextContent('Trending is unavailable');
    expect(screen.getAllByRole('alert')).toHaveLength(1);
    expect(within(screen.getByRole('region', { name: 'Watch later' })).getByRole('link', { name: /Alien/ })).toBeInTheDocument();

    await user.click(within(alert).getByRole('button', { name: 'Try again' }));
    expect(await within(trending).findByRole('link', { name: /Oppenheimer/ })).toBeInTheDocument();
    expect(calls).toBe(2);
  });

  it('says why when the whole dashboard fails, and keeps the regions', async () => {
    fakeApi({ 'GET /api/v1/dashboard': () => jsonResponse(503, { error: { code: 'db_unavailable', message: 'The database is not answering' } }) });
    visit();
    expect(await screen.findByText('The database is not answering')).toBeInTheDocument();
    for (const name of REGIONS) expect(within(screen.getByRole('region', { name })).getByText(/Not loaded/)).toBeInTheDocument();
  });

  it('polls live download progress while a job runs, and stops once none is active', async () => {
    const polls: string[] = [];
    const answers = [download(80), download(100, 'completed')];
    fakeApi({
      'GET /api/v1/dashboard': () => jsonResponse(200, fullDashboard([download(40)])),
      'GET /api/v1/downloads': (_request, url) => {
        polls.push(url.search);
        return jsonResponse(200, { items: [answers[Math.min(polls.length - 1, 1)]], nextCursor: null });
      },
    });
    visit();
    const bar = await screen.findByRole('progressbar', { name: 'Big Buck Bunny progress' });
    expect(bar).toHaveAttribute('aria-valuenow', '40');
    expect(screen.getByText('2.0 MB/s')).toBeInTheDocument();
    await waitFor(() => expect(bar).toHaveAttribute('aria-valuenow', '80'), { timeout: 4000 });
    await waitFor(() => expect(bar).toHaveAttribute('aria-valuenow', '100'), { timeout: 4000 });
    expect(within(screen.getByRole('region', { name: 'Downloads' })).getByText('Completed')).toBeInTheDocument();
    await new Promise((resolve) => setTimeout(resolve, 3000));
    expect(polls).toHaveLength(2);
  });

  it('shows the titles of people you follow with who is in them (the API sends {media, people})', async () => {
    const data = { ...fullDashboard(), fromPeopleYouFollow: widget([{ media: summary(12, 'John Wick', 'movie'), people: [{ id: 6384, name: 'Keanu Reeves' }] }]) };
    fakeApi({ 'GET /api/v1/dashboard': () => jsonResponse(200, data) });
    visit();
    const row = await screen.findByRole('region', { name: 'From people you follow' }, { timeout: 15_000 });
    const link = within(row).getByRole('link', { name: /John Wick/ });
    expect(link).toHaveAttribute('href', '/app/movies/12');
    expect(link).toHaveTextContent('With Keanu Reeves');
    expect(screen.queryByText("This part couldn't load.")).not.toBeInTheDocument();
  });

  it('keeps a card that throws inside its widget: a message, the error logged, Retry refetches', async () => {
    const logged = vi.spyOn(console, 'error').mockImplementation(() => {});
    const broken = fullDashboard();
    broken.continueWatching = widget([{ kind: 'resume', media: null, episode: null, percent: 10 } as never]);
    const calls: number[] = [];
    fakeApi({ 'GET /api/v1/dashboard': () => (calls.push(1), jsonResponse(200, calls.length === 1 ? broken : fullDashboard())) });
    const user = userEvent.setup();
    visit();
    const cont = await screen.findByRole('region', { name: 'Continue watching' }, { timeout: 15_000 });
    expect(await within(cont).findByText("This part couldn't load.")).toBeInTheDocument();
    // The rest of the dashboard renders.
    expect(within(screen.getByRole('region', { name: 'Trending' })).getByRole('link', { name: /Oppenheimer/ })).toBeInTheDocument();
    expect(logged.mock.calls.some(([message]) => String(message).includes('continue-watching'))).toBe(true);

    await user.click(within(cont).getByRole('button', { name: 'Retry' }));
    expect(await within(cont).findByRole('link', { name: /Heat/ })).toHaveAttribute('href', '/app/movies/1');
    expect(calls).toHaveLength(2);
    logged.mockRestore();
  });

  it('names an active download by its title and episode, with its quality and its trouble in words', async () => {
    const job = {
      ...download(40, 'stalled'), title: 'Breaking.Bad.S01E02.1080p.WEB-DL.H264-GRP', media: summary(30, 'Breaking Bad', 'show'), season: 1, episode: 2,
      release: { resolution: 1080, source: 'web-dl', codec: 'h264' }, errorCode: 'worker_lost_job', errorMessage: 'The worker running this download stopped reporting on it',
    };
    fakeApi({ 'GET /api/v1/dashboard': () => jsonResponse(200, fullDashboard([job])), 'GET /api/v1/downloads': () => jsonResponse(200, { items: [job], nextCursor: null }) });
    visit();
    const downloads = await screen.findByRole('region', { name: 'Downloads' }, { timeout: 15_000 });
    expect(await within(downloads).findByRole('link', { name: 'Breaking Bad · S01E02' })).toBeInTheDocument();
    expect(downloads).toHaveTextContent('1080p · WEB-DL · H.264');
    expect(downloads).toHaveTextContent('The worker stopped responding; retrying');
    expect(downloads).not.toHaveTextContent('Breaking.Bad.S01E02');
  });
});
