import { render, screen, waitFor, within } from '@solidjs/testing-library';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import App from '../App';
import { resetSessionForTests } from '../stores/session';
import { clearToasts } from '../stores/toasts';
import { clearSessionCookie, fakeApi, jsonResponse, recordRequests, type Route } from '../test/fakes';

const CHANNEL = '7f1c2a9e-3b4d-4e5f-8a6b-1c2d3e4f5a6b';
const JOB = '11111111-1111-4111-8111-111111111111';
const daysAgo = (d: number) => new Date(Date.now() - d * 86_400_000).toISOString();

const channel = {
  id: CHANNEL, youtubeId: 'UCHnyfMqiRRG1u-2MsSQLbXA', title: 'Veritasium', handle: '@veritasium',
  url: 'https://www.youtube.com/channel/UCHnyfMqiRRG1u-2MsSQLbXA', thumbnailUrl: 'https://yt3.test/avatar.jpg', keepNewest: 2, videoCount: 3,
  newCount: 2, latestAt: daysAgo(1), checkedAt: daysAgo(0), lastError: null, followedAt: daysAgo(30),
};
const video = (mediaId: number, title: string, over: object = {}) => ({
  mediaId, mediaType: 'video', youtubeId: `yt${mediaId}`, title, description: null, url: `https://www.youtube.com/watch?v=yt${mediaId}`,
  thumbnailUrl: `https://i.ytimg.test/vi/yt${mediaId}/hqdefault.jpg`, publishedAt: daysAgo(3), views: 12_400, channelId: CHANNEL,
  channelTitle: 'Veritasium', watched: false, onWatchLater: false, progress: null, libraryItemId: null, download: null, ...over,
});
const downloaded = video(901, 'The bizarre behavior of rotating bodies', { libraryItemId: 'li-901', progress: { positionSeconds: 300, durationSeconds: 1200 }, download: { id: 'job-901', status: 'completed', percent: 100 } });
const fresh = video(902, 'Why the sky is blue');
const seen = video(903, 'The Most Misunderstood Concept in Physics', { watched: true, views: 1 });
const job = (status: string, progress: number) => ({
  id: JOB, attempt: 1, bytesDone: 0, bytesTotal: null, createdAt: daysAgo(0), updatedAt: daysAgo(0), progress, retryCount: 0,
  sourceType: 'video', status, title: 'Why the sky is blue', speedBps: null, etaSeconds: null,
});

/** Opens the channel page over a fake API whose videos are `page(url)`; returns what was sent to `routes`. */
function openChannel(page: (url: URL) => object = () => ({ items: [downloaded, fresh, seen], nextCursor: null }), routes: Record<string, Route> = {}) {
  const recorded = recordRequests(routes);
  fakeApi({
    [`GET /api/v1/channels/${CHANNEL}`]: () => jsonResponse(200, channel),
    [`GET /api/v1/channels/${CHANNEL}/videos`]: (_request, url) => jsonResponse(200, page(url)),
    ...recorded.routes,
  });
  window.history.replaceState(null, '', `/app/channels/${CHANNEL}`);
  render(() => <App />);
  return recorded.sent;
}

const card = async (title: string) => (await screen.findByRole('article', { name: title }));

beforeAll(() => import('./ChannelDetail'), 60_000);
beforeEach(() => resetSessionForTests());
afterEach(() => {
  clearSessionCookie();
  clearToasts();
});

describe('channel page', { timeout: 20_000 }, () => {
  it('shows the channel and its videos as cards: thumbnail, when, views, watched, progress, Play or Get', async () => {
    openChannel();
    expect(await screen.findByRole('heading', { level: 1, name: 'Veritasium' })).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'Open on YouTube' })).toHaveAttribute('href', channel.url);
    expect(screen.getByTestId('keep-newest-input')).toHaveValue(2);
    expect(await screen.findAllByTestId('video-card')).toHaveLength(3);

    const rotating = await card(downloaded.title);
    expect(within(rotating).getByTestId('video-play')).toHaveAttribute('href', '/app/watch/li-901');
    expect(within(rotating).getByTestId('video-play')).toHaveTextContent('Resume');
    expect(within(rotating).queryByTestId('video-get')).not.toBeInTheDocument();
    expect(within(rotating).getByRole('progressbar', { name: `${downloaded.title} progress` })).toHaveAttribute('aria-valuenow', '25');
    expect(within(rotating).getByTestId('video-status')).toHaveTextContent('In your library');

    const sky = await card(fresh.title);
    expect(sky).toHaveTextContent('3 days ago · 12.4K views');
    expect(sky.querySelector('img')).toHaveAttribute('src', fresh.thumbnailUrl);
    expect(within(sky).getByTestId('video-get')).toBeEnabled();
    expect(within(sky).queryByTestId('video-play')).not.toBeInTheDocument();
    expect(within(sky).queryByTestId('video-status')).not.toBeInTheDocument();
    expect(within(sky).getByTestId('video-watched')).toHaveAttribute('aria-pressed', 'false');
    expect(within(sky).getByRole('link', { name: `${fresh.title} (on YouTube)` })).toHaveAttribute('href', fresh.url);

    const physics = await card(seen.title);
    expect(physics).toHaveTextContent('1 view');
    expect(within(physics).getByTestId('video-watched')).toHaveAttribute('aria-pressed', 'true');
    expect(within(physics).getAllByText('Watched').length).toBeGreaterThan(0);
  });

  it('gets a video: asks the API, shows the download, then polls until it can be played', async () => {
    const user = userEvent.setup();
    let got = false;
    const sent = openChannel(
      () => ({ items: [got ? { ...fresh, download: { id: JOB, status: 'completed', percent: 100 }, libraryItemId: 'li-902' } : fresh], nextCursor: null }),
      {
        'POST /api/v1/videos/902/get': () => {
          got = true;
          return jsonResponse(202, job('queued', 0));
        },
      },
    );
    const sky = await card(fresh.title);
    await user.click(within(sky).getByTestId('video-get'));

    expect(await within(sky).findByTestId('video-status')).toHaveTextContent('Queued');
    expect(within(sky).getByTestId('video-get')).toBeDisabled();
    expect(sent).toEqual([{ method: 'POST', path: '/api/v1/videos/902/get', body: undefined }]);
    expect(await screen.findByText('Getting the video')).toBeInTheDocument();

    // The list is asked again while the download runs; once the library holds it, Play replaces Get.
    const play = await within(sky).findByTestId('video-play', {}, { timeout: 8000 });
    expect(play).toHaveAttribute('href', '/app/watch/li-902');
    expect(within(sky).queryByTestId('video-get')).not.toBeInTheDocument();
    expect(within(sky).getByTestId('video-status')).toHaveTextContent('In your library');
  });

  it('tells why a Get was refused and keeps Get available', async () => {
    const user = userEvent.setup();
    openChannel(undefined, {
      'POST /api/v1/videos/902/get': () => jsonResponse(503, { error: { code: 'downloads_unavailable', message: 'No worker is connected' } }),
    });
    const sky = await card(fresh.title);
    await user.click(within(sky).getByTestId('video-get'));
    expect(await screen.findByText('No worker is connected')).toBeInTheDocument();
    expect(within(sky).getByTestId('video-get')).toBeEnabled();
    expect(within(sky).queryByTestId('video-status')).not.toBeInTheDocument();
  });

  it('marks a video watched and unwatched through the watch history', async () => {
    const user = userEvent.setup();
    const calls: string[] = [];
    openChannel(undefined, {
      'POST /api/v1/watched': async (request) => {
        calls.push(`POST ${await request.text()}`);
        return jsonResponse(201, { id: 'w1' });
      },
      'DELETE /api/v1/watched': (_request, url) => {
        calls.push(`DELETE ${url.search}`);
        return new Response(null, { status: 204 });
      },
    });
    const sky = await card(fresh.title);
    const toggle = within(sky).getByTestId('video-watched');
    await user.click(toggle);
    await waitFor(() => expect(toggle).toHaveAttribute('aria-pressed', 'true'));
    expect(toggle).toHaveTextContent('Watched');
    await waitFor(() => expect(calls).toEqual(['POST {"mediaId":902}']));

    await user.click(toggle);
    await waitFor(() => expect(toggle).toHaveAttribute('aria-pressed', 'false'));
    expect(calls[1]).toBe('DELETE ?mediaId=902&scope=all');
  });

  it('puts a refused watch back as it was', async () => {
    const user = userEvent.setup();
    openChannel(undefined, { 'POST /api/v1/watched': () => jsonResponse(500, { error: { code: 'boom', message: 'The database is away' } }) });
    const toggle = within(await card(fresh.title)).getByTestId('video-watched');
    await user.click(toggle);
    expect(await screen.findByText('The database is away')).toBeInTheDocument();
    expect(toggle).toHaveAttribute('aria-pressed', 'false');
  });

  it('adds a video to watch later', async () => {
    const user = userEvent.setup();
    const sent = openChannel(undefined, { 'PUT /api/v1/watch-later/902': () => jsonResponse(200, { mediaId: 902 }) });
    const sky = await card(fresh.title);
    await user.click(within(sky).getByRole('button', { name: `Add ${fresh.title} to watch later` }));
    expect(await within(sky).findByRole('button', { name: `Remove ${fresh.title} from watch later` })).toHaveAttribute('aria-pressed', 'true');
    expect(sent).toEqual([{ method: 'PUT', path: '/api/v1/watch-later/902', body: undefined }]);
  });

  it('loads more videos after the first page', async () => {
    const user = userEvent.setup();
    const cursors: (string | null)[] = [];
    openChannel((url) => {
      cursors.push(url.searchParams.get('cursor'));
      return url.searchParams.get('cursor') === 'c2'
        ? { items: [video(904, 'An older video', { publishedAt: daysAgo(60) })], nextCursor: null }
        : { items: [downloaded, fresh], nextCursor: 'c2' };
    });
    await user.click(await screen.findByRole('button', { name: 'Load more' }));
    expect(await card('An older video')).toBeInTheDocument();
    expect(screen.getAllByTestId('video-card')).toHaveLength(3);
    expect(screen.queryByRole('button', { name: 'Load more' })).not.toBeInTheDocument();
    expect(cursors).toEqual([null, 'c2']);
  });

  it('saves how many of the newest videos to keep downloaded', async () => {
    const user = userEvent.setup();
    const sent = openChannel(undefined, { [`PATCH /api/v1/channels/${CHANNEL}`]: () => jsonResponse(200, { ...channel, keepNewest: 5 }) });
    const keep = await screen.findByTestId('keep-newest-input');
    await user.clear(keep);
    await user.type(keep, '5');
    await user.tab();
    await waitFor(() => expect(sent).toEqual([{ method: 'PATCH', path: `/api/v1/channels/${CHANNEL}`, body: { keepNewest: 5 } }]));
    expect(await screen.findByText('Keeping the newest 5 downloaded')).toBeInTheDocument();
    expect(screen.getByTestId('keep-newest-input')).toHaveValue(5);
  });

  it('unfollows after a confirmation and goes back to the channels', async () => {
    const user = userEvent.setup();
    const sent = openChannel(undefined, {
      [`DELETE /api/v1/channels/${CHANNEL}`]: () => new Response(null, { status: 204 }),
      'GET /api/v1/channels': () => jsonResponse(200, { items: [] }),
    });
    await user.click(await screen.findByRole('button', { name: 'Unfollow' }));
    const dialog = await screen.findByRole('dialog', { name: 'Unfollow Veritasium?' });
    expect(sent).toEqual([]);
    await user.click(within(dialog).getByRole('button', { name: 'Unfollow' }));
    await waitFor(() => expect(window.location.pathname).toBe('/app/channels'));
    expect(sent[0]).toEqual({ method: 'DELETE', path: `/api/v1/channels/${CHANNEL}`, body: undefined });
    expect(await screen.findByRole('heading', { level: 1, name: 'Channels' })).toBeInTheDocument();
  });
});
