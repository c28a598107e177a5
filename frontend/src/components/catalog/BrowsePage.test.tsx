import { render, screen, waitFor } from '@solidjs/testing-library';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import App from '../../App';
import { resetSessionForTests } from '../../stores/session';
import { clearSessionCookie, fakeApi, jsonResponse } from '../../test/fakes';

const page = (sort: string) => ({ items: [], page: 1, pageSize: 30, total: 0, sort });

beforeEach(() => resetSessionForTests());
afterEach(() => clearSessionCookie());

describe('browsing with no sort chosen', () => {
  it('asks for the server’s default and names it when a large catalog orders by votes', async () => {
    const sorts: (string | null)[] = [];
    fakeApi({
      'GET /api/v1/genres': () => jsonResponse(200, []),
      'GET /api/v1/movies': (_request, url) => {
        sorts.push(url.searchParams.get('sort'));
        return jsonResponse(200, page('most_rated'));
      },
    });
    window.history.replaceState(null, '', '/app/movies');
    render(() => <App />);
    const select = (await screen.findByLabelText('Sort by')) as HTMLSelectElement;
    await waitFor(() => expect(select.options[0]?.text).toBe('Most rated'));
    expect(sorts[0]).toBeNull();
  });
});
