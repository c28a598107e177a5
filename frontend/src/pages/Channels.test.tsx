import { render, screen, waitFor, within } from '@solidjs/testing-library';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import App from '../App';
import { resetSessionForTests } from '../stores/session';
import { clearToasts } from '../stores/toasts';
import { clearSessionCookie, fakeApi, jsonResponse, recordRequests, type Route } from '../test/fakes';

const daysAgo = (d: number) => new Date(Date.now() - d * 86_400_000).toISOString();

const channelOut = (over: object = {}) => ({
  id: '7f1c2a9e-3b4d-4e5f-8a6b-1c2d3e4f5a6b', youtubeId: 'UCHnyfMqiRRG1u-2MsSQLbXA', title: 'Veritasium', handle: '@veritasium',
  url: 'https://www.youtube.com/channel/UCHnyfMqiRRG1u-2MsSQLbXA', thumbnailUrl: null, keepNewest: 0, videoCount: 12, newCount: 3,
  latestAt: daysAgo(2), checkedAt: daysAgo(0), lastError: null, followedAt: daysAgo(30), ...over,
});
const broken = channelOut({
  id: '0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d', youtubeId: 'UCbroken', title: 'Gone Quiet', handle: null, newCount: 0, videoCount: 0, latestAt: null,
  lastError: 'YouTube answered 404 for the feed',
});

/** Opens /app/channels over a fake API listing `list()`; returns what the page sent to `routes`. */
function openChannels(list: () => object[], routes: Record<string, Route> = {}) {
  const recorded = recordRequests(routes);
  fakeApi({ 'GET /api/v1/channels': () => jsonResponse(200, { items: list() }), ...recorded.routes });
  window.history.replaceState(null, '', '/app/channels');
  render(() => <App />);
  return recorded.sent;
}

beforeAll(() => import('./Channels'), 60_000);
beforeEach(() => resetSessionForTests());
afterEach(() => {
  clearSessionCookie();
  clearToasts();
});

describe('channels page', { timeout: 20_000 }, () => {
  it('lists each followed channel with its handle, what is new and why its feed failed, linking to its page', async () => {
    openChannels(() => [channelOut(), broken]);
    const cards = await screen.findAllByTestId('channel-card');
    expect(cards).toHaveLength(2);
    const veritasium = screen.getByRole('listitem', { name: 'Veritasium' });
    expect(within(veritasium).getByRole('link')).toHaveAttribute('href', '/app/channels/7f1c2a9e-3b4d-4e5f-8a6b-1c2d3e4f5a6b');
    expect(veritasium).toHaveTextContent('3 new');
    expect(veritasium).toHaveTextContent('@veritasium · 12 videos · newest 2 days ago');
    expect(within(veritasium).getByTestId('person-initials')).toHaveTextContent('V'); // no avatar: its initial

    const quiet = screen.getByRole('listitem', { name: 'Gone Quiet' });
    expect(quiet).not.toHaveTextContent(/new/);
    expect(quiet).toHaveTextContent('YouTube answered 404 for the feed');
    expect(screen.getByRole('link', { name: 'Channels' })).toHaveAttribute('aria-current', 'page');
  });

  it('explains what channels are when none is followed', async () => {
    openChannels(() => []);
    expect(await screen.findByRole('heading', { level: 3, name: 'No channels yet' })).toBeInTheDocument();
    expect(screen.getByText(/new videos show up on your dashboard and calendar/)).toBeInTheDocument();
    expect(screen.queryByTestId('channel-card')).not.toBeInTheDocument();
  });

  it('follows a channel by its @handle with how many to keep, and lists it', async () => {
    const user = userEvent.setup();
    let list: object[] = [];
    const created = channelOut({ keepNewest: 5 });
    const sent = openChannels(() => list, {
      'POST /api/v1/channels': () => {
        list = [created];
        return jsonResponse(201, created);
      },
    });
    expect(await screen.findByRole('heading', { level: 3, name: 'No channels yet' })).toBeInTheDocument();
    await user.type(screen.getByTestId('channel-follow-input'), '  @veritasium ');
    await user.type(screen.getByLabelText('Keep newest downloaded'), '5');
    await user.click(screen.getByTestId('channel-follow-submit'));

    expect(await screen.findByRole('listitem', { name: 'Veritasium' })).toBeInTheDocument();
    expect(sent).toEqual([{ method: 'POST', path: '/api/v1/channels', body: { url: '@veritasium', keepNewest: 5 } }]);
    expect(screen.getByTestId('channel-follow-input')).toHaveValue('');
    expect(await screen.findByText('Following Veritasium')).toBeInTheDocument();
  });

  it('shows why the API refused the link under the field (422 invalid_channel), keeping what was typed', async () => {
    const user = userEvent.setup();
    const sent = openChannels(() => [], {
      'POST /api/v1/channels': () =>
        jsonResponse(422, {
          error: {
            code: 'invalid_channel',
            message: 'That YouTube URL is not a channel (a video or playlist URL names no channel to follow)',
            fields: { url: 'not a channel URL' },
          },
        }),
    });
    const input = await screen.findByTestId('channel-follow-input');
    await user.type(input, 'https://www.youtube.com/watch?v=dQw4w9WgXcQ');
    await user.click(screen.getByTestId('channel-follow-submit'));

    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent('That YouTube URL is not a channel (a video or playlist URL names no channel to follow)');
    expect(input).toHaveAttribute('aria-invalid', 'true');
    expect(input).toHaveAccessibleDescription(/not a channel/);
    expect(input).toHaveValue('https://www.youtube.com/watch?v=dQw4w9WgXcQ');
    expect(sent).toHaveLength(1);
    expect(screen.queryByTestId('channel-card')).not.toBeInTheDocument();
  });

  it('says so under the form when the channel cannot be found or reached', async () => {
    const user = userEvent.setup();
    openChannels(() => [], {
      'POST /api/v1/channels': () => jsonResponse(502, { error: { code: 'channel_unreachable', message: "YouTube didn't answer; try again in a minute" } }),
    });
    await user.type(await screen.findByTestId('channel-follow-input'), '@somebody');
    await user.click(screen.getByTestId('channel-follow-submit'));
    expect(await screen.findByRole('alert')).toHaveTextContent("YouTube didn't answer; try again in a minute");
    expect(screen.getByTestId('channel-follow-input')).not.toHaveAttribute('aria-invalid');
  });

  it('checks the form before sending anything', async () => {
    const user = userEvent.setup();
    const sent = openChannels(() => [], { 'POST /api/v1/channels': () => jsonResponse(201, channelOut()) });
    await user.click(await screen.findByTestId('channel-follow-submit'));
    expect(await screen.findByRole('alert')).toHaveTextContent('Paste a channel link, an @handle or a channel id (UC…).');
    await user.type(screen.getByTestId('channel-follow-input'), '@veritasium');
    await user.type(screen.getByLabelText('Keep newest downloaded'), '99');
    await user.click(screen.getByTestId('channel-follow-submit'));
    expect(await screen.findByRole('alert')).toHaveTextContent('A whole number from 0 to 50.');
    await waitFor(() => expect(sent).toEqual([]));
  });
});
