import { render, screen, waitFor, within } from '@solidjs/testing-library';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import App from '../../App';
import { resetSessionForTests } from '../../stores/session';
import { clearSessionCookie, fakeApi, jsonResponse } from '../../test/fakes';

const suggestions = [
  { id: 42, mediaType: 'movie', title: 'Dune', year: 2021, posterUrl: null },
  { id: 43, mediaType: 'movie', title: 'Dune: Part Two', year: 2024, posterUrl: null },
  { id: 7, mediaType: 'show', title: 'Dune: Prophecy', year: 2024, posterUrl: null },
];

function setup() {
  const queries: string[] = [];
  const fetch = fakeApi({
    'GET /api/v1/search/suggest': (_request, url) => {
      queries.push(url.searchParams.get('q') ?? '');
      return jsonResponse(200, suggestions);
    },
    'GET /api/v1/movies/42': () => jsonResponse(200, { id: 42, mediaType: 'movie', title: 'Dune', year: 2021, genres: [], similar: [] }),
    'GET /api/v1/search': () => jsonResponse(200, { items: [], page: 1, pageSize: 30, total: 0 }),
  });
  window.history.replaceState(null, '', '/app/dashboard');
  render(() => <App />);
  return { queries, fetch };
}

beforeEach(() => resetSessionForTests());
afterEach(() => clearSessionCookie());

describe('global search combobox', () => {
  it('asks for suggestions once per pause in typing and lists them', async () => {
    const user = userEvent.setup();
    const { queries } = setup();
    const box = await screen.findByRole('combobox', { name: 'Search movies, shows and games' });
    await user.type(box, 'dune');
    const listbox = screen.getByRole('listbox', { name: 'Search suggestions' });
    expect(await within(listbox).findByRole('option', { name: /Dune: Part Two/ })).toBeInTheDocument();
    expect(queries).toEqual(['dune']); // debounced: not d, du, dun, dune
    expect(within(listbox).getAllByRole('option')).toHaveLength(4); // 3 titles + "see all results"
    expect(box).toHaveAttribute('aria-expanded', 'true');
  });

  it('moves through options with the arrow keys (wrapping) and Enter opens the highlighted title', async () => {
    const user = userEvent.setup();
    setup();
    const box = await screen.findByRole('combobox', { name: 'Search movies, shows and games' });
    await user.type(box, 'dune');
    await screen.findByRole('option', { name: /Dune: Prophecy/ });

    await user.keyboard('{ArrowDown}{ArrowDown}');
    const second = screen.getByRole('option', { name: /Dune: Part Two/ });
    expect(second).toHaveAttribute('aria-selected', 'true');
    expect(box).toHaveAttribute('aria-activedescendant', second.id);

    await user.keyboard('{ArrowUp}{ArrowUp}'); // past the first option wraps to "see all results"
    expect(screen.getByRole('option', { name: /See all results/ })).toHaveAttribute('aria-selected', 'true');
    await user.keyboard('{ArrowDown}');
    expect(screen.getByRole('option', { name: /^Dune Movie/ })).toHaveAttribute('aria-selected', 'true');

    await user.keyboard('{Enter}');
    await waitFor(() => expect(window.location.pathname).toBe('/app/movies/42'));
    expect(await screen.findByRole('heading', { level: 1, name: 'Dune' })).toBeInTheDocument();
  });

  it('Enter with nothing highlighted opens the full results page', async () => {
    const user = userEvent.setup();
    setup();
    const box = await screen.findByRole('combobox', { name: 'Search movies, shows and games' });
    await user.type(box, 'dune part{Enter}');
    await waitFor(() => expect(window.location.pathname + window.location.search).toBe('/app/search?q=dune%20part'));
    expect(await screen.findByRole('heading', { level: 1, name: 'Results for “dune part”' })).toBeInTheDocument();
  });
});
