import { render, screen, waitFor, within } from '@solidjs/testing-library';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import App from '../App';
import { resetSessionForTests } from '../stores/session';
import { clearToasts } from '../stores/toasts';
import { clearSessionCookie, fakeApi, jsonResponse, type Route } from '../test/fakes';

const CHANNEL = '7f1c2a9e-3b4d-4e5f-8a6b-1c2d3e4f5a6b';
const hoursAgo = (h: number) => new Date(Date.now() - h * 3_600_000).toISOString();
const widget = (items: unknown[]) => ({ items, error: null });
const KEYS = ['continueWatching', 'watchLater', 'gameBacklog', 'recentlyPlayedGames', 'activeDownloads', 'recommendations', 'upcomingReleases', 'trending', 'recentlyWatched', 'fromPeopleYouFollow'];

const video = (mediaId: number, title: string, over: object = {}) => ({
  mediaId, mediaType: 'video', youtubeId: `yt${mediaId}`, title, description: null, url: `https://www.youtube.com/watch?v=yt${mediaId}`,
  thumbnailUrl: null, publishedAt: hoursAgo(5), views: 980, channelId: CHANNEL, channelTitle: 'Veritasium', watched: false,
  onWatchLater: false, progress: null, libraryItemId: null, download: null, ...over,
});

function dashboard(videos: unknown[] | undefined) {
  const data: Record<string, unknown> = Object.fromEntries(KEYS.map((key) => [key, widget([])]));
  if (videos) data.newFromChannels = widget(videos);
  return data;
}

function visit(videos: () => unknown[] | undefined, routes: Record<string, Route> = {}) {
  let loads = 0;
  fakeApi({
    'GET /api/v1/dashboard': () => {
      loads += 1;
      return jsonResponse(200, dashboard(videos()));
    },
    ...routes,
  });
  window.history.replaceState(null, '', '/app/dashboard');
  render(() => <App />);
  return { loads: () => loads };
}

beforeAll(() => import('./Dashboard'), 60_000);
beforeEach(() => resetSessionForTests());
afterEach(() => {
  clearSessionCookie();
  clearToasts();
});

describe('dashboard: new from channels', { timeout: 20_000 }, () => {
  it('shows the new videos as video cards naming their channel', async () => {
    visit(() => [video(902, 'Why the sky is blue'), video(901, 'Rotating bodies', { libraryItemId: 'li-901' })]);
    const row = await screen.findByTestId('dashboard-channels-row');
    const region = within(row).getByRole('region', { name: 'New from channels' });
    const cards = within(region).getAllByTestId('video-card');
    expect(cards).toHaveLength(2);
    expect(within(cards[0]!).getByRole('link', { name: 'Veritasium' })).toHaveAttribute('href', `/app/channels/${CHANNEL}`);
    expect(cards[0]).toHaveTextContent('5 hours ago · 980 views');
    expect(within(cards[0]!).getByTestId('video-get')).toBeEnabled();
    expect(within(cards[1]!).getByTestId('video-play')).toHaveAttribute('href', '/app/watch/li-901');
    expect(within(region).getByRole('link', { name: 'See all' })).toHaveAttribute('href', '/app/channels');
  });

  it('leaves the row out when no followed channel has anything new', async () => {
    visit(() => []);
    expect(await screen.findByRole('region', { name: 'Trending' })).toBeInTheDocument();
    expect(screen.queryByTestId('dashboard-channels-row')).not.toBeInTheDocument();
    expect(screen.queryByRole('region', { name: 'New from channels' })).not.toBeInTheDocument();
  });

  it('leaves the row out for a dashboard without the widget', async () => {
    visit(() => undefined);
    expect(await screen.findByRole('region', { name: 'Trending' })).toBeInTheDocument();
    expect(screen.queryByTestId('dashboard-channels-row')).not.toBeInTheDocument();
  });

  it('gets a video from the row and asks the dashboard again until it can be played', async () => {
    const user = userEvent.setup();
    let got = false;
    const { loads } = visit(
      () => [got ? video(902, 'Why the sky is blue', { libraryItemId: 'li-902', download: { id: 'job-1', status: 'completed', percent: 100 } }) : video(902, 'Why the sky is blue')],
      {
        'POST /api/v1/videos/902/get': () => {
          got = true;
          return jsonResponse(202, { id: 'job-1', status: 'downloading', progress: 12, sourceType: 'video', title: 'Why the sky is blue' });
        },
      },
    );
    const row = await screen.findByTestId('dashboard-channels-row');
    await user.click(within(row).getByTestId('video-get'));
    expect(await within(row).findByTestId('video-status')).toHaveTextContent('Downloading 12%');
    expect(within(row).getByTestId('video-get')).toBeDisabled();
    const play = await within(row).findByTestId('video-play', {}, { timeout: 8000 });
    expect(play).toHaveAttribute('href', '/app/watch/li-902');
    expect(loads()).toBeGreaterThanOrEqual(2);
    await waitFor(() => expect(within(row).getByTestId('video-status')).toHaveTextContent('In your library'));
  });
});
