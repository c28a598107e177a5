import { render, screen, waitFor, within } from '@solidjs/testing-library';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import App from '../App';
import { resetSessionForTests } from '../stores/session';
import { clearToasts } from '../stores/toasts';
import { clearSessionCookie, fakeApi, jsonResponse } from '../test/fakes';

const item = (id: number, title: string, position: number) => ({
  media: { id, mediaType: 'movie', title, year: 2000 + id, posterPath: null },
  position,
  addedAt: '2026-11-01T10:00:00Z',
});
const queue = { items: [item(1, 'Alien', 1), item(2, 'Heat', 2), item(3, 'Fargo', 3)], page: 1, pageSize: 100, total: 3 };

const titles = () =>
  within(screen.getByRole('list', { name: 'Watch later queue' }))
    .getAllByRole('listitem')
    .map((li) => within(li).getByRole('link').textContent);

beforeEach(() => resetSessionForTests());
afterEach(() => {
  clearSessionCookie();
  clearToasts();
});

describe('watch later page', () => {
  it('reorders optimistically and sends every id in the new order', async () => {
    const user = userEvent.setup();
    const orders: unknown[] = [];
    fakeApi({
      'GET /api/v1/watch-later': () => jsonResponse(200, queue),
      'PUT /api/v1/watch-later/order': async (request) => {
        orders.push(await request.json());
        return new Response(null, { status: 204 });
      },
    });
    window.history.replaceState(null, '', '/app/watch-later');
    render(() => <App />);
    await screen.findByRole('list', { name: 'Watch later queue' });
    expect(titles()).toEqual(['Alien', 'Heat', 'Fargo']);

    await user.click(screen.getByRole('button', { name: 'Move Fargo up' }));
    expect(titles()).toEqual(['Alien', 'Fargo', 'Heat']);
    await waitFor(() => expect(orders).toEqual([{ mediaIds: [1, 3, 2] }]));
  });

  it('rolls the order back and says why when the server refuses', async () => {
    const user = userEvent.setup();
    fakeApi({
      'GET /api/v1/watch-later': () => jsonResponse(200, queue),
      'PUT /api/v1/watch-later/order': () =>
        jsonResponse(422, { error: { code: 'order_mismatch', message: 'Send every title of the list exactly once' } }),
    });
    window.history.replaceState(null, '', '/app/watch-later');
    render(() => <App />);
    await screen.findByRole('list', { name: 'Watch later queue' });

    await user.click(screen.getByRole('button', { name: 'Move Alien down' }));
    const toast = await screen.findByText('Send every title of the list exactly once');
    expect(toast.closest('li')).toHaveTextContent('Couldn\u2019t move “Alien”'.replace('\u2019', "'"));
    expect(titles()).toEqual(['Alien', 'Heat', 'Fargo']);
  });
});
