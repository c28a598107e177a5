import { render, screen, within } from '@solidjs/testing-library';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import App from '../../App';
import { resetSessionForTests } from '../../stores/session';
import { clearToasts } from '../../stores/toasts';
import { clearSessionCookie, fakeApi, jsonResponse } from '../../test/fakes';

const movie = {
  id: 7, mediaType: 'movie', title: 'Heat', year: 1995, genres: [], similar: [],
  backdropUrl: 'https://img.test/heat-backdrop.jpg', logoUrl: 'https://img.test/heat-logo.png',
  externalRatings: [
    { source: 'metacritic', value: '76/100', score: 76 },
    { source: 'imdb', value: '8.3/10', score: 83, votes: 712000 },
    { source: 'rotten_tomatoes', value: '83%', score: 83 },
  ],
  credits: {
    cast: [
      { personId: 12, name: 'Robert De Niro', character: 'Neil McCauley', order: 1, profileUrl: null },
      { personId: 11, name: 'Al Pacino', character: 'Vincent Hanna', order: 0, profileUrl: 'https://img.test/pacino.jpg' },
    ],
    crew: [
      { personId: 42, name: 'Michael Mann', job: 'Director' },
      { personId: 42, name: 'Michael Mann', job: 'Screenplay' },
      { personId: 50, name: 'Some Grip', job: 'Key Grip' },
    ],
  },
};

const SLOW = { timeout: 15_000 };

beforeEach(() => resetSessionForTests());
afterEach(() => {
  clearSessionCookie();
  clearToasts();
});

function open(body: object = movie) {
  fakeApi({
    'GET /api/v1/movies/7': () => jsonResponse(200, body),
    'GET /api/v1/watched': () => jsonResponse(200, { items: [], page: 1, pageSize: 1, total: 0 }),
    'GET /api/v1/ratings/7': () => jsonResponse(404, { error: { code: 'rating_not_found', message: 'none' } }),
  });
  window.history.replaceState(null, '', '/app/movies/7');
  render(() => <App />);
}

describe('movie page: credits, ratings and artwork', { timeout: 20_000 }, () => {
  it('lists the cast in billing order, each linking to their page, with initials when there is no photo', async () => {
    open();
    const cast = await screen.findByRole('list', { name: 'Cast' }, SLOW);
    const links = within(cast).getAllByRole('link');
    expect(links.map((link) => link.getAttribute('href'))).toEqual(['/app/people/11', '/app/people/12']);
    expect(links[0]).toHaveTextContent('Al PacinoVincent Hanna');
    expect(within(links[1]!).getByTestId('person-initials')).toHaveTextContent('RD');
  });

  it('links the key crew to their pages and leaves minor jobs out', async () => {
    open();
    const director = await screen.findByText('Director', {}, SLOW);
    expect(director.nextElementSibling).toContainElement(screen.getAllByRole('link', { name: 'Michael Mann' })[0]!);
    expect(screen.getAllByRole('link', { name: 'Michael Mann' }).map((l) => l.getAttribute('href'))).toEqual(['/app/people/42', '/app/people/42']);
    expect(screen.queryByText('Some Grip')).not.toBeInTheDocument();
  });

  it('shows the wordmark with the title kept as the heading, and the ratings as named badges', async () => {
    open();
    const heading = await screen.findByRole('heading', { level: 1, name: 'Heat' }, SLOW);
    expect(heading).toHaveClass('sr-only');
    expect(screen.getByTestId('title-logo')).toHaveAttribute('src', 'https://img.test/heat-logo.png');
    const ratings = within(screen.getByRole('list', { name: 'Ratings' })).getAllByRole('listitem');
    expect(ratings.map((r) => r.getAttribute('aria-label'))).toEqual([
      'IMDb 8.3/10 from 712,000 votes',
      'Rotten Tomatoes 83%',
      'Metacritic 76/100',
    ]);
  });

  it('keeps the text title when there is no wordmark, and no cast row without credits', async () => {
    open({ ...movie, logoUrl: null, credits: { cast: [], crew: [] }, externalRatings: [] });
    const heading = await screen.findByRole('heading', { level: 1, name: 'Heat' }, SLOW);
    expect(heading).not.toHaveClass('sr-only');
    expect(screen.queryByRole('list', { name: 'Cast' })).not.toBeInTheDocument();
    expect(screen.queryByRole('list', { name: 'Ratings' })).not.toBeInTheDocument();
  });
});
