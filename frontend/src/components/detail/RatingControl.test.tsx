import { screen, waitFor } from '@solidjs/testing-library';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { resetSessionForTests } from '../../stores/session';
import { clearToasts } from '../../stores/toasts';
import { clearSessionCookie, fakeApi, jsonResponse } from '../../test/fakes';
import { renderWithQuery } from '../../test/query';
import { RatingControl } from './RatingControl';

beforeEach(() => resetSessionForTests());
afterEach(() => {
  clearSessionCookie();
  clearToasts();
});

describe('your rating', { timeout: 20_000 }, () => {
  it('shows a rating of 8 as four stars, "4 of 5", never as the bare number', async () => {
    fakeApi({ 'GET /api/v1/ratings/7': () => jsonResponse(200, { mediaId: 7, rating: 8, ratedAt: '2026-11-22T08:00:00Z' }) });
    renderWithQuery(() => <RatingControl mediaId={7} title="Inception" />);
    await waitFor(() => expect(screen.getByTestId('your-rating')).toHaveTextContent('4 of 5'));
    expect(screen.getByTestId('your-rating')).not.toHaveTextContent(/\b8\b/);
    expect(screen.getByRole('button', { name: 'Clear your rating' })).toBeInTheDocument();
  });

  it('takes an unrated title (rating null) as a clean slate and saves a click on the scale of ten', async () => {
    const user = userEvent.setup();
    const saved: unknown[] = [];
    fakeApi({
      'GET /api/v1/ratings/7': () => jsonResponse(200, { mediaId: 7, rating: null, ratedAt: null }),
      'PUT /api/v1/ratings/7': async (request) => {
        const body = await request.json();
        saved.push(body);
        return jsonResponse(200, { media: { id: 7, mediaType: 'movie', title: 'Inception' }, rating: body.rating, ratedAt: '2026-11-22T08:00:00Z' });
      },
    });
    renderWithQuery(() => <RatingControl mediaId={7} title="Inception" />);
    const fourth = (await screen.findAllByRole('radio'))[3]!;
    await waitFor(() => expect(fourth).not.toHaveAttribute('data-disabled'));
    expect(screen.getByTestId('your-rating')).toHaveTextContent(/^$/);
    expect(screen.queryByRole('button', { name: 'Clear your rating' })).not.toBeInTheDocument();
    await user.click(fourth);
    await waitFor(() => expect(saved).toEqual([{ rating: 8 }]));
    expect(screen.getByTestId('your-rating')).toHaveTextContent('4 of 5');
  });
});
