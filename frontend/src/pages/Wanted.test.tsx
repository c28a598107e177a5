import { render, screen, waitFor, within } from '@solidjs/testing-library';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import App from '../App';
import { resetSessionForTests } from '../stores/session';
import { clearToasts } from '../stores/toasts';
import { clearSessionCookie, fakeApi, jsonResponse, type Route } from '../test/fakes';

const item = (id: string, season: number | null, episode: number | null, done: boolean, over: Record<string, unknown> = {}) => ({
  id, mediaId: season == null ? 11 : 5, season, episode, name: null, airDate: null, createdAt: '2026-11-20T10:00:00Z',
  done, doneAt: done ? '2026-11-21T10:00:00Z' : null, attempts: 0, lastError: null, ...over,
});
const s1 = [item('w1', 1, 1, true, { name: 'Secrets' }), item('w2', 1, 2, false, { name: 'Lies', lastError: 'no release above the cutoff yet' })];
const s2 = [item('w3', 2, 1, false)];
const dark = {
  mediaId: 5, mediaType: 'show', title: 'Dark', year: 2017, wanted: 2, done: 1, item: null,
  monitor: { mediaId: 5, seasons: null, autoGet: false, cutoff: null },
  seasons: [{ season: 1, wanted: 1, done: 1, episodes: s1 }, { season: 2, wanted: 1, done: 0, episodes: s2 }],
};
const heat = { mediaId: 11, mediaType: 'movie', title: 'Heat', year: 1995, wanted: 1, done: 0, item: item('w9', null, null, false), seasons: [] };
const page = (items: unknown[]) => ({ items, page: 1, pageSize: 20, total: items.length });

function openWanted(routes: Record<string, Route> = {}, path = '/app/wanted') {
  const queries: string[] = [];
  fakeApi({
    'GET /api/v1/wanted': (_r, url) => {
      queries.push(url.search);
      return jsonResponse(200, page([dark, heat]));
    },
    ...routes,
  });
  window.history.replaceState(null, '', path);
  render(() => <App />);
  return queries;
}

const group = (name: string) => screen.findByRole('article', { name });

beforeAll(() => import('./Wanted'), 60_000);
beforeEach(() => resetSessionForTests());
afterEach(() => {
  clearSessionCookie();
  clearToasts();
});

describe('wanted page', { timeout: 20_000 }, () => {
  it('groups show → season → episode with done/wanted roll-ups at each level', async () => {
    openWanted();
    const show = await group('Dark');
    expect(within(show).getByRole('progressbar', { name: 'Dark done' })).toHaveAttribute('aria-valuenow', '1');
    expect(show).toHaveTextContent('1 of 3 done');
    const first = within(show).getByRole('region', { name: 'Dark season 1' });
    expect(first).toHaveTextContent('Season 1');
    expect(first).toHaveTextContent('1 of 2 done');
    expect(within(first).getAllByRole('listitem').map((li) => li.textContent)).toEqual([
      expect.stringContaining('S01E01 · Secrets'),
      expect.stringContaining('S01E02 · Lies'),
    ]);
    expect(within(first).getByText(/no release above the cutoff yet/)).toBeInTheDocument();
    expect(within(first).getByRole('link', { name: 'S01E02 · Lies' })).toHaveAttribute('href', '/app/shows/5/season/1/episode/2');
    expect(within(show).getByRole('region', { name: 'Dark season 2' })).toHaveTextContent('0 of 1 done');
    expect(within(show).getByRole('switch', { name: 'Get new episodes automatically' })).not.toBeChecked();

    const movie = await group('Heat');
    expect(within(movie).queryByRole('switch')).toBeNull();
    expect(within(movie).getByRole('button', { name: 'Remove Heat from wanted' })).toBeInTheDocument();
  });

  it('searches and pages through the API', async () => {
    const user = userEvent.setup();
    const queries = openWanted({}, '/app/wanted?page=2');
    await group('Dark');
    expect(queries.at(-1)).toBe('?page=2&pageSize=20');
    await user.type(screen.getByRole('searchbox', { name: 'Search wanted' }), 'dark{Enter}');
    await waitFor(() => expect(queries.at(-1)).toBe('?q=dark&page=1&pageSize=20'));
  });

  it('removes an episode at once and updates the roll-ups, or puts it back when the API refuses', async () => {
    const user = userEvent.setup();
    const deletes: string[] = [];
    let refuse = false;
    openWanted({
      'DELETE /api/v1/wanted/w2': (request) => {
        deletes.push(request.method);
        return refuse ? jsonResponse(404, { error: { code: 'wanted_not_found', message: 'No such wanted item' } }) : new Response(null, { status: 204 });
      },
    });
    const show = await group('Dark');
    refuse = true;
    await user.click(within(show).getByRole('button', { name: 'Remove Dark S01E02 from wanted' }));
    expect(await screen.findByText('No such wanted item')).toBeInTheDocument();
    expect(screen.getByText("Couldn't remove “Dark S01E02” from wanted")).toBeInTheDocument();
    await waitFor(() => expect(within(show).getByRole('button', { name: 'Remove Dark S01E02 from wanted' })).toBeInTheDocument());
    expect(show).toHaveTextContent('1 of 3 done');

    refuse = false;
    await user.click(within(show).getByRole('button', { name: 'Remove Dark S01E02 from wanted' }));
    await waitFor(() => expect(within(show).queryByRole('button', { name: 'Remove Dark S01E02 from wanted' })).toBeNull());
    expect(within(show).getByRole('region', { name: 'Dark season 1' })).toHaveTextContent('All 1 done');
    expect(show).toHaveTextContent('1 of 2 done');
    expect(deletes).toEqual(['DELETE', 'DELETE']);
  });

  it('turns automatic downloads on for a show and back off when that fails', async () => {
    const user = userEvent.setup();
    const bodies: unknown[] = [];
    openWanted({
      'PUT /api/v1/wanted/monitor/5': async (request) => {
        bodies.push(await request.json());
        return bodies.length === 1 ? jsonResponse(200, { mediaId: 5, seasons: null, autoGet: true, cutoff: null }) : jsonResponse(503, { error: { code: 'unavailable', message: 'Database is down' } });
      },
    });
    const toggle = within(await group('Dark')).getByRole('switch', { name: 'Get new episodes automatically' });
    await user.click(toggle);
    expect(toggle).toBeChecked();
    await user.click(toggle);
    expect(await screen.findByText('Database is down')).toBeInTheDocument();
    await waitFor(() => expect(toggle).toBeChecked());
    expect(bodies).toEqual([{ autoGet: true }, { autoGet: false }]);
  });

  it('has empty and error states', async () => {
    let fail = true;
    fakeApi({
      'GET /api/v1/wanted': () => (fail ? jsonResponse(503, { error: { code: 'unavailable', message: 'Database is down' } }) : jsonResponse(200, page([]))),
    });
    window.history.replaceState(null, '', '/app/wanted');
    render(() => <App />);
    expect(await screen.findByText('Database is down')).toBeInTheDocument();
    fail = false;
    await userEvent.setup().click(screen.getByRole('button', { name: 'Try again' }));
    expect(await screen.findByText('Nothing wanted yet')).toBeInTheDocument();
  });
});

describe('add to wanted', { timeout: 20_000 }, () => {
  it('adds a season from the show page and says how many episodes joined', async () => {
    const user = userEvent.setup();
    const bodies: unknown[] = [];
    fakeApi({
      'GET /api/v1/shows/5': () => jsonResponse(200, { id: 5, mediaType: 'show', title: 'Dark', genres: [], similar: [], seasons: [{ seasonNumber: 1, name: 'Season 1' }] }),
      'GET /api/v1/shows/5/seasons/1': () => jsonResponse(200, { showId: 5, showTitle: 'Dark', seasonNumber: 1, episodes: [] }),
      'GET /api/v1/shows/5/progress': () => jsonResponse(404, { error: { code: 'not_found', message: 'none' } }),
      'GET /api/v1/ratings/5': () => jsonResponse(404, { error: { code: 'rating_not_found', message: 'none' } }),
      'POST /api/v1/wanted': async (request) => {
        bodies.push(await request.json());
        return jsonResponse(201, { added: 10, items: [] });
      },
    });
    window.history.replaceState(null, '', '/app/shows/5');
    render(() => <App />);
    await user.click(await screen.findByRole('button', { name: 'Add season 1 to wanted' }, { timeout: 15_000 }));
    expect(await screen.findByText('Dark · Season 1: 10 episodes')).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Add to wanted' }));
    await waitFor(() => expect(bodies).toEqual([{ mediaId: 5, season: 1 }, { mediaId: 5 }]));
  });
});
