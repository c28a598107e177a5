import { render, screen, waitFor, within } from '@solidjs/testing-library';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import App from '../../App';
import { createNotificationsStore, resetNotifications } from '../../stores/notifications';
import { resetSessionForTests } from '../../stores/session';
import { clearToasts } from '../../stores/toasts';
import { clearSessionCookie, fakeApi, jsonResponse, stubFetch } from '../../test/fakes';
import { badgeText } from './NotificationBell';

const minutesAgo = (m: number) => new Date(Date.now() - m * 60_000).toISOString();
const inbox = () => ({
  unread: 2,
  items: [
    { id: 3, kind: 'episode_aired', title: 'Severance S02E04 is out', body: 'Woe’s Hollow', link: '/app/shows/7', mediaId: 7, createdAt: minutesAgo(5), readAt: null },
    { id: 2, kind: 'download_failed', title: 'Heat failed to download', body: 'No seeders', link: '/app/downloads', mediaId: 9, createdAt: minutesAgo(120), readAt: null },
    { id: 1, kind: 'game_released', title: 'Hades II is out', body: null, link: '/app/games/4', mediaId: 4, createdAt: minutesAgo(60 * 48), readAt: minutesAgo(60) },
  ],
});

function bellApi(reads: unknown[], list = inbox()) {
  return fakeApi({
    'GET /api/v1/notifications': () => jsonResponse(200, list),
    'POST /api/v1/notifications/read': async (request) => {
      const body = (await request.json()) as { ids?: number[]; all?: boolean };
      reads.push(body);
      const unread = body.all ? 0 : list.items.filter((n) => !n.readAt && !body.ids?.includes(n.id)).length;
      return jsonResponse(200, { unread });
    },
  });
}

beforeEach(() => {
  resetSessionForTests();
  resetNotifications();
});
afterEach(() => {
  clearSessionCookie();
  clearToasts();
});

describe('notification bell', () => {
  it('shows the unread count, lists unread first with relative times, opens one and marks it read', async () => {
    const user = userEvent.setup();
    const reads: unknown[] = [];
    bellApi(reads);
    window.history.replaceState(null, '', '/app/watched');
    render(() => <App />);

    const bell = await screen.findByRole('button', { name: 'Notifications: 2 unread' }, { timeout: 15_000 });
    expect(screen.getByTestId('notification-badge')).toHaveTextContent('2');
    await user.click(bell);
    const list = await screen.findByRole('list', { name: 'Your notifications' });
    const rows = within(list).getAllByRole('button');
    expect(rows.map((r) => r.dataset.unread ?? 'read')).toEqual(['true', 'true', 'read']);
    expect(rows[0]).toHaveTextContent('Severance S02E04 is out');
    expect(rows[0]).toHaveTextContent('5 minutes ago');
    expect(rows[1]).toHaveTextContent('2 hours ago');

    await user.click(rows[0]!);
    await waitFor(() => expect(location.pathname).toBe('/app/shows/7'));
    expect(reads).toEqual([{ ids: [3] }]);
    await waitFor(() => expect(screen.getByRole('button', { name: 'Notifications: 1 unread' })).toBeInTheDocument());
  });

  it('marks all read, and puts the badge back when the API refuses', async () => {
    const user = userEvent.setup();
    const reads: unknown[] = [];
    bellApi(reads);
    window.history.replaceState(null, '', '/app/watched');
    render(() => <App />);
    await user.click(await screen.findByRole('button', { name: 'Notifications: 2 unread' }, { timeout: 15_000 }));
    await user.click(await screen.findByRole('button', { name: 'Mark all read' }));
    await waitFor(() => expect(reads).toEqual([{ all: true }]));
    expect(screen.queryByTestId('notification-badge')).not.toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Mark all read' })).toBeDisabled();
  });

  it('rolls an optimistic read back when the API refuses it', async () => {
    let reads = 0;
    stubFetch((url) => {
      if (url === '/api/v1/notifications') return jsonResponse(200, inbox());
      reads += 1;
      return jsonResponse(503, { error: { code: 'unavailable', message: 'Try later' } });
    });
    const store = createNotificationsStore();
    await store.refresh();
    expect(store.unread()).toBe(2);
    await store.markRead([3]);
    expect(reads).toBe(1);
    expect(store.unread()).toBe(2);
    expect(store.items()[0]!.readAt).toBeNull();
  });

  it('polls every minute and when the tab regains focus, and stops when unsubscribed', async () => {
    vi.useFakeTimers();
    try {
      const mock = stubFetch(() => jsonResponse(200, inbox()));
      const store = createNotificationsStore();
      const stop = store.subscribe();
      await vi.advanceTimersByTimeAsync(10);
      expect(mock).toHaveBeenCalledTimes(1);
      await vi.advanceTimersByTimeAsync(60_000);
      expect(mock).toHaveBeenCalledTimes(2);
      await vi.advanceTimersByTimeAsync(10_000);
      window.dispatchEvent(new Event('focus'));
      await vi.advanceTimersByTimeAsync(10);
      expect(mock).toHaveBeenCalledTimes(3);
      stop();
      await vi.advanceTimersByTimeAsync(120_000);
      window.dispatchEvent(new Event('focus'));
      expect(mock).toHaveBeenCalledTimes(3);
    } finally {
      vi.useRealTimers();
    }
  });

  it('caps the badge at 9+', () => {
    expect([badgeText(3), badgeText(9), badgeText(10), badgeText(250)]).toEqual(['3', '9', '9+', '9+']);
  });
});
