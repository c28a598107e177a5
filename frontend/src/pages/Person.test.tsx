import { render, screen, waitFor, within } from '@solidjs/testing-library';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import App from '../App';
import { resetSessionForTests } from '../stores/session';
import { clearToasts } from '../stores/toasts';
import { clearSessionCookie, fakeApi, jsonResponse } from '../test/fakes';

const film = (mediaId: number, title: string, year: number, kind: 'cast' | 'crew', role: string, seen: boolean) => ({
  mediaId, mediaType: 'movie', title, year, role, kind, posterUrl: null, seen,
});

const person = {
  id: 42, name: 'Michael Mann', profileUrl: null, biography: 'An American director.', birthYear: 1943, deathYear: null,
  knownForDepartment: 'Directing', following: false,
  knownFor: [{ id: 1, mediaType: 'movie', title: 'Heat', year: 1995 }],
  filmography: [
    film(1, 'Heat', 1995, 'crew', 'Director', true),
    film(1, 'Heat', 1995, 'crew', 'Screenplay', true),
    film(2, 'Collateral', 2004, 'crew', 'Director', false),
    film(3, 'Thief', 1981, 'cast', 'Bartender', false),
  ],
};

const SLOW = { timeout: 15_000 };

beforeEach(() => resetSessionForTests());
afterEach(() => {
  clearSessionCookie();
  clearToasts();
});

function open(followStatus = 200) {
  const calls: string[] = [];
  fakeApi({
    'GET /api/v1/people/42': () => jsonResponse(200, person),
    'PUT /api/v1/follows/people/42': (request) => {
      calls.push(request.method);
      return followStatus === 200
        ? jsonResponse(200, { person: { id: 42, name: 'Michael Mann' }, since: new Date().toISOString() })
        : jsonResponse(followStatus, { error: { code: 'unavailable', message: 'The database is busy' } });
    },
  });
  window.history.replaceState(null, '', '/app/people/42');
  render(() => <App />);
  return calls;
}

describe('person page', { timeout: 20_000 }, () => {
  it('shows who they are and the filmography by department, newest first, with what you have seen', async () => {
    open();
    expect(await screen.findByRole('heading', { level: 1, name: 'Michael Mann' }, SLOW)).toBeInTheDocument();
    expect(screen.getByText('Directing · Born 1943')).toBeInTheDocument();
    expect(screen.getByText(/You've seen/)).toHaveTextContent("You've seen 1 of 3");

    const directing = screen.getByRole('list', { name: 'Directing' });
    const rows = within(directing).getAllByRole('listitem');
    expect(rows.map((row) => within(row).getByRole('link', { name: /Collateral|Heat/ }).textContent)).toEqual(['Collateral', 'Heat']);
    expect(within(rows[1]!).getByText('Seen')).toBeInTheDocument();
    expect(within(rows[0]!).queryByText('Seen')).not.toBeInTheDocument();
    // Heat's screenplay credit sits under Writing; their own department leads, then the usual order.
    expect(within(screen.getByRole('list', { name: 'Writing' })).getByRole('link', { name: 'Heat' })).toHaveAttribute('href', '/app/movies/1');
    const headings = screen.getAllByRole('heading', { level: 3 }).map((h) => h.textContent);
    expect(headings).toEqual(['Directing2', 'Acting1', 'Writing1']);
    expect(screen.getByRole('region', { name: 'Known for' })).toBeInTheDocument();
  });

  it('follows them at once and calls the API', async () => {
    const user = userEvent.setup();
    const calls = open();
    const follow = await screen.findByRole('button', { name: 'Follow' }, SLOW);
    expect(follow).toHaveAttribute('aria-pressed', 'false');
    await user.click(follow);
    expect(screen.getByRole('button', { name: 'Following' })).toHaveAttribute('aria-pressed', 'true');
    await waitFor(() => expect(calls).toEqual(['PUT']));
    expect(await screen.findByText('Following Michael Mann')).toBeInTheDocument();
  });

  it('rolls the follow back and says why when the API refuses', async () => {
    const user = userEvent.setup();
    open(503);
    await user.click(await screen.findByRole('button', { name: 'Follow' }, SLOW));
    expect(await screen.findByText('The database is busy')).toBeInTheDocument();
    await waitFor(() => expect(screen.getByRole('button', { name: 'Follow' })).toHaveAttribute('aria-pressed', 'false'));
  });
});
