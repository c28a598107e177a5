import { render, screen, within } from '@solidjs/testing-library';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import App from '../App';
import { resetSessionForTests } from '../stores/session';
import { clearToasts } from '../stores/toasts';
import { clearSessionCookie, fakeApi, jsonResponse } from '../test/fakes';

const SLOW = { timeout: 15_000 };

beforeEach(() => resetSessionForTests());
afterEach(() => {
  clearSessionCookie();
  clearToasts();
});

function open(items: unknown[]) {
  fakeApi({
    'GET /api/v1/search': () => jsonResponse(200, { items, page: 1, pageSize: 30, total: items.length }),
    'GET /api/v1/genres': () => jsonResponse(200, { items: [] }),
  });
  window.history.replaceState(null, '', '/app/search?q=mann');
  render(() => <App />);
}

describe('search page: people', { timeout: 20_000 }, () => {
  it('lists people above the titles, with what they are known for, linking to their page', async () => {
    open([
      { type: 'person', id: 42, title: 'Michael Mann', name: 'Michael Mann', profileUrl: null, knownForDepartment: 'Directing', knownFor: ['Heat', 'Collateral', 'Thief', 'Ali'], match: 'exact', score: 1 },
      { type: 'movie', id: 1, mediaType: 'movie', title: 'Manhunter', year: 1986, match: 'prefix', score: 0.8 },
    ]);
    const people = await screen.findByRole('list', { name: 'People' }, SLOW);
    const link = within(people).getByRole('link', { name: /Michael Mann/ });
    expect(link).toHaveAttribute('href', '/app/people/42');
    expect(link).toHaveTextContent('Directing · Heat, Collateral, Thief');
    const titles = screen.getByRole('list', { name: 'Search results' });
    expect(within(titles).getByRole('link', { name: /Manhunter/ })).toHaveAttribute('href', '/app/movies/1');
    expect(within(titles).queryByText('Michael Mann')).not.toBeInTheDocument();
    // People come first in the page.
    expect(people.compareDocumentPosition(titles) & Node.DOCUMENT_POSITION_FOLLOWING).toBeTruthy();
  });

  it('shows no people section when no person matches', async () => {
    open([{ type: 'movie', id: 1, mediaType: 'movie', title: 'Manhunter', year: 1986, match: 'prefix', score: 0.8 }]);
    await screen.findByRole('list', { name: 'Search results' }, SLOW);
    expect(screen.queryByRole('list', { name: 'People' })).not.toBeInTheDocument();
  });
});

describe('search page: a query too common to count', { timeout: 20_000 }, () => {
  it('says there are more than the counted results and offers every language to filter by', async () => {
    fakeApi({
      'GET /api/v1/search': () =>
        jsonResponse(200, {
          items: [{ type: 'movie', id: 1, mediaType: 'movie', title: 'Love Actually', year: 2003, match: 'prefix', score: 3.1 }],
          page: 1,
          pageSize: 30,
          total: 1001,
          totalAtLeast: true,
          languages: [],
        }),
      'GET /api/v1/genres': () => jsonResponse(200, { items: [] }),
    });
    window.history.replaceState(null, '', '/app/search?q=love');
    render(() => <App />);
    expect(await screen.findByText('More than 1,000 results: add a word to narrow them', {}, SLOW)).toBeInTheDocument();
    const language = screen.getByRole('combobox', { name: /language/i });
    expect(within(language).getByRole('option', { name: 'French' })).toBeInTheDocument();
  });
});
