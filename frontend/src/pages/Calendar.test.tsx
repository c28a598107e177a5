import { fireEvent, render, screen, waitFor, within } from '@solidjs/testing-library';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import App from '../App';
import { resetSessionForTests } from '../stores/session';
import { clearToasts } from '../stores/toasts';
import { clearSessionCookie, fakeApi, jsonResponse } from '../test/fakes';

const event = (id: number, date: string, title: string, mediaType = 'show', mediaId = 6) => ({
  id, kind: mediaType === 'show' ? 'episode_air' : 'movie_release', title, date, dateEnd: date, precision: 'exact',
  media: { id: mediaId, mediaType, title: title.split(' S')[0], posterUrl: null }, followed: mediaType === 'show',
});

function calendarApi(items: unknown[] = [event(1, '2026-11-25', 'Severance S03E01'), event(2, '2026-11-03', 'Dune Part Three', 'movie', 7)]) {
  const requests: URLSearchParams[] = [];
  const fetch = fakeApi({
    'GET /api/v1/calendar': (_request, url) => {
      requests.push(url.searchParams);
      return jsonResponse(200, { from: url.searchParams.get('from'), to: url.searchParams.get('to'), items, total: items.length });
    },
  });
  return { requests, fetch };
}

function visit(search = '?date=2026-11-15') {
  window.history.replaceState(null, '', `/app/calendar${search}`);
  render(() => <App />);
}

beforeAll(() => import('./Calendar'));
beforeEach(() => resetSessionForTests());
afterEach(() => {
  clearSessionCookie();
  clearToasts();
});

describe('calendar page', { timeout: 20_000 }, () => {
  it('shows the month from the URL as a grid of days with release links', async () => {
    const { requests } = calendarApi();
    visit();
    const grid = await screen.findByRole('grid', { name: /November 2026/ });
    expect(requests[0]?.get('from')).toBe('2026-10-26');
    expect(requests[0]?.get('to')).toBe('2026-12-06');
    const cell = within(grid).getByRole('gridcell', { name: /November 25.*1 release/ });
    expect(within(cell).getByRole('link', { name: /Severance S03E01/ })).toHaveAttribute('href', '/app/shows/6');
    expect(within(grid).getByRole('link', { name: /Dune Part Three/ })).toHaveAttribute('href', '/app/movies/7');
    expect(screen.getByRole('button', { name: 'Month' })).toHaveAttribute('aria-pressed', 'true');
    expect(screen.getByRole('button', { name: 'Week' })).toHaveAttribute('aria-pressed', 'false');
    expect(within(grid).getAllByRole('row')).toHaveLength(7); // the weekday header and six weeks
  });

  it('moves by month, switches to the week view and keeps both in the URL', async () => {
    const user = userEvent.setup();
    const { requests } = calendarApi();
    visit();
    await screen.findByRole('grid', { name: /November 2026/ });
    await user.click(screen.getByRole('button', { name: 'Next' }));
    await screen.findByRole('grid', { name: /December 2026/ });
    expect(new URLSearchParams(location.search).get('date')).toBe('2026-12-15');
    expect(requests.at(-1)?.get('from')).toBe('2026-11-30');

    await user.click(screen.getByRole('button', { name: 'Week' }));
    await waitFor(() => expect(new URLSearchParams(location.search).get('view')).toBe('week'));
    expect(screen.getByRole('button', { name: 'Week' })).toHaveAttribute('aria-pressed', 'true');
    await waitFor(() => expect(requests.at(-1)?.get('view')).toBe('week'));
    expect(requests.at(-1)?.get('from')).toBe('2026-12-15'); // the week starts at the day on screen
    expect(requests.at(-1)?.has('to')).toBe(false);
    expect(screen.queryByRole('grid')).not.toBeInTheDocument();
    expect(await screen.findByRole('list', { name: /Releases/ })).toBeInTheDocument();
  });

  it('lists seven days from the chosen one, quiet days included', async () => {
    calendarApi([event(1, '2026-11-27', 'Severance S03E01')]);
    visit('?view=week&date=2026-11-25');
    const list = await screen.findByRole('list', { name: /Releases/ });
    const days = within(list).getAllByRole('heading', { level: 3 });
    expect(days).toHaveLength(7);
    expect(days[0]).toHaveTextContent(/Wednesday, November 25/);
    expect(days[6]).toHaveTextContent(/Tuesday, December 1/);
    const friday = within(list).getByRole('listitem', { name: /Friday/ });
    expect(within(friday).getByRole('button', { name: /Severance S03E01/ })).toBeInTheDocument();
    expect(within(list).getByRole('listitem', { name: /Wednesday/ })).toHaveTextContent('Nothing airs.');
  });

  it('moves focus between days with the arrow keys and crosses into the next month', async () => {
    calendarApi();
    visit('?date=2026-11-30');
    const grid = await screen.findByRole('grid', { name: /November 2026/ });
    const start = within(grid).getByRole('gridcell', { name: /November 30/ });
    expect(start).toHaveAttribute('tabindex', '0');
    start.focus();
    fireEvent.keyDown(start, { key: 'ArrowLeft' });
    const sunday = within(grid).getByRole('gridcell', { name: /November 29/ });
    expect(sunday).toHaveFocus();
    expect(sunday).toHaveAttribute('tabindex', '0');
    expect(start).toHaveAttribute('tabindex', '-1');

    fireEvent.keyDown(sunday, { key: 'ArrowDown' });
    await waitFor(() => expect(new URLSearchParams(location.search).get('date')).toBe('2026-12-06'));
    const december = await screen.findByRole('grid', { name: /December 2026/ });
    await waitFor(() => expect(within(december).getByRole('gridcell', { name: /December 6/ })).toHaveFocus());
  });

  it('folds a busy day into "+N more", which opens that week', async () => {
    const user = userEvent.setup();
    calendarApi([1, 2, 3, 4].map((i) => event(i, '2026-11-25', `Show ${i} S01E0${i}`, 'show', 20 + i)));
    visit();
    const cell = await screen.findByRole('gridcell', { name: /November 25.*4 releases/ });
    expect(within(cell).getAllByRole('link')).toHaveLength(3);
    await user.click(within(cell).getByRole('button', { name: '+1 more' }));
    await waitFor(() => expect(new URLSearchParams(location.search).get('view')).toBe('week'));
    expect(new URLSearchParams(location.search).get('date')).toBe('2026-11-25');
    const list = await screen.findByRole('list', { name: /Releases/ });
    expect(within(list).getAllByRole('button', { name: /Show \d/ })).toHaveLength(4);
  });

  it('filters by media type and by what the user follows', async () => {
    const user = userEvent.setup();
    const { requests } = calendarApi();
    visit();
    await screen.findByRole('grid');
    await user.click(screen.getByRole('button', { name: 'Shows' }));
    await waitFor(() => expect(requests.at(-1)?.get('mediaType')).toBe('show'));
    await user.click(screen.getByRole('button', { name: 'Only what I follow' }));
    await waitFor(() => expect(requests.at(-1)?.get('watchlistOnly')).toBe('true'));
    expect(new URLSearchParams(location.search).get('type')).toBe('show');
    expect(new URLSearchParams(location.search).get('mine')).toBe('1');
    expect(screen.getByRole('button', { name: 'Shows' })).toHaveAttribute('aria-pressed', 'true');
  });

  it('says so when nothing releases, and shows API errors', async () => {
    calendarApi([]);
    visit();
    expect(await screen.findByText(/Nothing on the calendar for this period/)).toBeInTheDocument();
    expect(screen.getByRole('grid')).toBeInTheDocument();
  });

  it('shows the API error when the calendar fails', async () => {
    fakeApi({ 'GET /api/v1/calendar': () => jsonResponse(422, { error: { code: 'validation_error', message: 'The range is longer than a year' } }) });
    visit();
    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent('The range is longer than a year');
    expect(alert).toHaveTextContent("Couldn't load the calendar");
  });

  it('creates the iCal feed link on request and copies it', async () => {
    const user = userEvent.setup();
    let posts = 0;
    fakeApi({
      'GET /api/v1/calendar': () => jsonResponse(200, { from: '2026-10-26', to: '2026-12-06', items: [], total: 0 }),
      'POST /api/v1/calendar/token': () => {
        posts += 1;
        return jsonResponse(201, { token: 'tok_abcdefghijklmnopqrstuvwxyz', feedPath: '/api/v1/calendar.ics?token=tok_abcdefghijklmnopqrstuvwxyz', feedUrl: null, createdAt: '2026-11-22T10:00:00Z' });
      },
    });
    visit();
    const subscribe = await screen.findByRole('button', { name: 'Subscribe (iCal)' });
    expect(posts).toBe(0);
    await user.click(subscribe);
    expect(subscribe).toHaveAttribute('aria-expanded', 'true');
    await user.click(screen.getByRole('button', { name: 'Create feed link' }));
    const field = await screen.findByLabelText('iCal feed URL');
    expect(field).toHaveValue(`${location.origin}/api/v1/calendar.ics?token=tok_abcdefghijklmnopqrstuvwxyz`);
    expect(posts).toBe(1);
    await user.click(screen.getByRole('button', { name: 'Copy' }));
    expect(await navigator.clipboard.readText()).toBe(`${location.origin}/api/v1/calendar.ics?token=tok_abcdefghijklmnopqrstuvwxyz`);
    expect(screen.getByRole('link', { name: 'Open in calendar app' })).toHaveAttribute('href', expect.stringMatching(/^webcal:\/\//));

    await user.keyboard('{Escape}');
    expect(screen.queryByLabelText('iCal feed URL')).not.toBeInTheDocument();
    expect(subscribe).toHaveFocus();
  });

  it('lists a day with timed episodes first at their local time, then "Anytime" drops, and says who a title is with', async () => {
    const at = '2026-11-25T20:00:00Z';
    calendarApi([
      { ...event(1, '2026-11-25', 'Drop S01E01'), anytime: true },
      { ...event(2, '2026-11-25', 'Late S02E03'), airAt: '2026-11-25T22:00:00Z' },
      { ...event(3, '2026-11-25', 'Early S01E09'), airAt: at },
      { ...event(4, '2026-11-25', 'Heat 2', 'movie', 8), followed: false, reason: 'person', personName: 'Michael Mann' },
    ]);
    visit('?view=week&date=2026-11-23');
    const day = await screen.findByRole('listitem', { name: /November 25/ });
    const cards = within(day).getAllByRole('button');
    expect(cards.map((card) => card.getAttribute('aria-label')?.match(/^(Drop|Late|Early|Heat 2)/)?.[0])).toEqual(['Early', 'Late', 'Drop', 'Heat 2']);
    const time = new Intl.DateTimeFormat(undefined, { hour: 'numeric', minute: '2-digit' }).format(new Date(at));
    expect(cards[0]).toHaveAccessibleName(`Early S01E09, ${time}`);
    expect(cards[0]).toHaveTextContent(time);
    expect(cards[2]).toHaveTextContent('Anytime');
    expect(cards[3]).not.toHaveTextContent(/Anytime|:/);
  });

  it("opens an episode from the week: backdrop, still, synopsis, when it airs, why it is yours, the way to the show", async () => {
    const user = userEvent.setup();
    const at = '2026-11-26T02:00:00Z';
    calendarApi([{
      ...event(1, '2026-11-25', 'The Last of Us S02E03'), airAt: at, airTimeApproximate: true, anytime: false, reason: 'followed',
      ownedOn: ['Living room'],
      media: { id: 6, mediaType: 'show', title: 'The Last of Us', posterUrl: null, backdropUrl: 'https://img.test/backdrop.jpg' },
      episode: { seasonNumber: 2, episodeNumber: 3, name: 'The Path', overview: 'Ellie and Joel cross the mountains.', stillUrl: 'https://img.test/still.jpg' },
    }]);
    visit('?view=week&date=2026-11-25');
    const card = await screen.findByRole('button', { name: /The Last of Us S02E03/ });
    const time = new Intl.DateTimeFormat(undefined, { hour: 'numeric', minute: '2-digit' }).format(new Date(at));
    expect(card).toHaveTextContent(`~${time}`); // the network's usual slot, marked as approximate
    expect(card).toHaveTextContent('S02E03 · The Path');
    expect(card.querySelector('img')).toHaveAttribute('src', 'https://img.test/still.jpg');
    expect(within(card).getByTestId('event-owned')).toHaveTextContent('On Living room'); // the household's Jellyfin has it

    await user.click(card);
    const dialog = await screen.findByRole('dialog', { name: 'The Last of Us S02E03' });
    expect(within(dialog).getByText('Ellie and Joel cross the mountains.')).toBeInTheDocument();
    expect(within(dialog).getByTestId('event-when')).toHaveTextContent(`around ${time} (the network's usual time)`);
    expect(within(dialog).getByText('Following')).toBeInTheDocument();
    expect(within(dialog).getByTestId('event-owned')).toHaveTextContent('On Living room');
    const images = [...dialog.querySelectorAll('img')].map((img) => img.getAttribute('src'));
    expect(images).toEqual(['https://img.test/backdrop.jpg', 'https://img.test/still.jpg']);
    expect(within(dialog).getByRole('link', { name: 'Open The Last of Us' })).toHaveAttribute('href', '/app/shows/6');

    await user.keyboard('{Escape}');
    await waitFor(() => expect(screen.queryByRole('dialog')).not.toBeInTheDocument());
  });

  describe('a new video of a followed channel (video_release)', () => {
    const CHANNEL = '7f1c2a9e-3b4d-4e5f-8a6b-1c2d3e4f5a6b';
    const video = {
      id: 31, kind: 'video_release', title: 'Veritasium: Why the sky is blue', date: '2026-11-25', dateEnd: '2026-11-25', precision: 'exact',
      airAt: '2026-11-25T15:00:00Z', anytime: false, reason: 'channel', channel: { id: CHANNEL, title: 'Veritasium' },
      media: { id: 900, mediaType: 'video', title: 'Why the sky is blue', posterUrl: 'https://i.ytimg.test/vi/abc/hqdefault.jpg', backdropUrl: null },
    };

    it('is a chip on the videos\' colour in the month that leads to its channel, never to a title page', async () => {
      calendarApi([video, event(2, '2026-11-25', 'Severance S03E01')]);
      visit();
      const grid = await screen.findByRole('grid', { name: /November 2026/ });
      const cell = within(grid).getByRole('gridcell', { name: /November 25.*2 releases/ });
      const chip = within(cell).getByRole('link', { name: /Why the sky is blue/ });
      expect(chip).toHaveAttribute('href', `/app/channels/${CHANNEL}`);
      expect(chip).toHaveAccessibleName(/^Video:\s?Veritasium: Why the sky is blue/);
      expect(chip).toHaveAttribute('data-kind', 'video_release');
      expect(chip).toHaveClass('bg-secondary-soft');
      expect(chip.querySelector('img')).toHaveAttribute('src', 'https://i.ytimg.test/vi/abc/hqdefault.jpg');
      expect(within(cell).getByRole('link', { name: /Severance/ })).not.toHaveClass('bg-secondary-soft');
      expect(grid.querySelector('a[href^="/app/videos"]')).toBeNull();
    });

    it('shows its thumbnail and a Video chip in the week, and opens details that link to the channel', async () => {
      const user = userEvent.setup();
      calendarApi([video]);
      visit('?view=week&date=2026-11-25');
      const card = await screen.findByRole('button', { name: /^Video: Veritasium: Why the sky is blue/ });
      expect(card.querySelector('img')).toHaveAttribute('src', 'https://i.ytimg.test/vi/abc/hqdefault.jpg');
      expect(card).toHaveTextContent('Video');
      expect(card).toHaveTextContent('Why the sky is blue');
      expect(card).toHaveTextContent('Veritasium'); // the channel, where an episode shows its code

      await user.click(card);
      const dialog = await screen.findByRole('dialog', { name: 'Veritasium: Why the sky is blue' });
      expect(within(dialog).getByText(/A new video from Veritasium/)).toBeInTheDocument();
      expect(within(dialog).getByText('Channel you follow')).toBeInTheDocument();
      expect(within(dialog).getByRole('link', { name: 'Open Veritasium' })).toHaveAttribute('href', `/app/channels/${CHANNEL}`);
      expect(dialog.querySelector('a[href^="/app/videos"]')).toBeNull();
    });
  });
});
