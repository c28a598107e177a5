import { render, screen, waitFor, within } from '@solidjs/testing-library';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import App from '../App';
import { resetSessionForTests } from '../stores/session';
import { clearToasts } from '../stores/toasts';
import { clearSessionCookie, fakeApi, jsonResponse } from '../test/fakes';

const rec = (id: number, title: string, reason: string, mediaType = 'movie') => ({
  media: { id, mediaType, title, year: 2016, posterUrl: null, genres: [] },
  score: 1 / id,
  reasons: [{ code: 'because_you', text: reason, refMediaId: 1 }],
});
const page = (items: unknown[]) => ({ items, page: 1, pageSize: 24, total: items.length, computedAt: '2026-11-22T08:00:00Z', coldStart: false });
const picks = [rec(10, 'Arrival', 'Because you watched Dune'), rec(11, 'Hades', 'Popular on PC', 'game'), rec(12, 'Fargo', 'Because you rated Heat', 'show')];

const names = () => screen.getAllByRole('article').map((a) => a.getAttribute('aria-label')).filter((n) => n !== null); // the page's own article is named by aria-labelledby

function visit(search = '') {
  window.history.replaceState(null, '', `/app/recommendations${search}`);
  render(() => <App />);
}

beforeAll(() => import('./Recommendations'));
beforeEach(() => resetSessionForTests());
afterEach(() => {
  clearSessionCookie();
  clearToasts();
});

describe('recommendations page', { timeout: 20_000 }, () => {
  it('shows each pick with its poster link, year and reason', async () => {
    fakeApi({ 'GET /api/v1/recommendations': () => jsonResponse(200, page(picks)) });
    visit();
    const arrival = await screen.findByRole('article', { name: 'Arrival' });
    expect(within(arrival).getByText('Because you watched Dune')).toBeInTheDocument();
    expect(within(arrival).getByText('2016')).toBeInTheDocument();
    expect(within(arrival).getByRole('link', { name: 'Arrival' })).toHaveAttribute('href', '/app/movies/10');
    expect(within(screen.getByRole('article', { name: 'Hades' })).getByRole('link', { name: 'Hades' })).toHaveAttribute('href', '/app/games/11');
    expect(screen.getByRole('button', { name: 'Dismiss Fargo' })).toBeInTheDocument();
  });

  it('shows a rating reason with the rating as stars out of five, never as a bare number', async () => {
    const rated = { ...rec(13, 'Tenet', ''), reasons: [{ code: 'because_you', text: 'Because you rated Inception ★★★★½', refMediaId: 1, refRating: 9 }] };
    fakeApi({ 'GET /api/v1/recommendations': () => jsonResponse(200, page([rated])) });
    visit();
    const tenet = await screen.findByRole('article', { name: 'Tenet' });
    const reasons = within(tenet).getByRole('list', { name: 'Why it was picked' });
    expect(reasons).toHaveTextContent(/^Because you rated Inception ★★★★½$/);
    expect(within(reasons).getByRole('img', { name: '4.5 of 5 stars' })).toHaveTextContent('★★★★½');
    expect(reasons).not.toHaveTextContent('9');
  });

  it('filters by media type through the URL', async () => {
    const user = userEvent.setup();
    const asked: (string | null)[] = [];
    fakeApi({
      'GET /api/v1/recommendations': (_request, url) => {
        asked.push(url.searchParams.get('mediaType'));
        return jsonResponse(200, page(url.searchParams.get('mediaType') === 'game' ? [picks[1]] : picks));
      },
    });
    visit();
    await screen.findByRole('article', { name: 'Arrival' });
    await user.click(screen.getByRole('button', { name: 'Games' }));
    await waitFor(() => expect(screen.queryByRole('article', { name: 'Arrival' })).not.toBeInTheDocument());
    expect(asked).toEqual([null, 'game']);
    expect(new URLSearchParams(location.search).get('type')).toBe('game');
    expect(screen.getByRole('button', { name: 'Games' })).toHaveAttribute('aria-pressed', 'true');
  });

  it('dismisses optimistically and posts the dismissal', async () => {
    const user = userEvent.setup();
    const posted: string[] = [];
    let release!: () => void;
    const answered = new Promise<void>((resolve) => (release = resolve));
    fakeApi({
      'GET /api/v1/recommendations': () => jsonResponse(200, page(picks)),
      'POST /api/v1/recommendations/11/dismiss': async (_request, url) => {
        posted.push(url.search);
        await answered;
        return jsonResponse(200, { mediaId: 11, reason: 'not_interested', dismissedAt: '2026-11-22T10:00:00Z' });
      },
    });
    visit();
    await screen.findByRole('article', { name: 'Hades' });
    await user.click(screen.getByRole('button', { name: 'Dismiss Hades' }));
    // Gone before the server answered.
    expect(screen.queryByRole('article', { name: 'Hades' })).not.toBeInTheDocument();
    await waitFor(() => expect(posted).toEqual(['?reason=not_interested']));
    release();
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(names()).toEqual(['Arrival', 'Fargo']);
  });

  it('puts the card back in place and says why when the dismissal fails', async () => {
    const user = userEvent.setup();
    fakeApi({
      'GET /api/v1/recommendations': () => jsonResponse(200, page(picks)),
      'POST /api/v1/recommendations/11/dismiss': () => jsonResponse(500, { error: { code: 'internal_error', message: 'Something broke on our side' } }),
    });
    visit();
    await screen.findByRole('article', { name: 'Hades' });
    await user.click(screen.getByRole('button', { name: 'Dismiss Hades' }));
    const toast = await screen.findByText('Something broke on our side');
    expect(toast.closest('li')).toHaveTextContent('Couldn\'t dismiss “Hades”');
    expect(names()).toEqual(['Arrival', 'Hades', 'Fargo']);
  });

  it('shows an empty state with a way forward', async () => {
    fakeApi({ 'GET /api/v1/recommendations': () => jsonResponse(200, page([])) });
    visit();
    expect(await screen.findByRole('heading', { name: 'No picks yet' })).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'Start discovering' })).toHaveAttribute('href', '/app/discover');
  });

  it('shows the error from the API with a retry', async () => {
    fakeApi({ 'GET /api/v1/recommendations': () => jsonResponse(503, { error: { code: 'unavailable', message: 'Recommendations are being computed' } }) });
    visit();
    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent('Recommendations are being computed');
    expect(within(alert).getByRole('button', { name: 'Try again' })).toBeInTheDocument();
  });
});
