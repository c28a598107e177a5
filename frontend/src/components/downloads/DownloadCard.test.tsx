import { render, screen, within } from '@solidjs/testing-library';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import App from '../../App';
import { resetSessionForTests } from '../../stores/session';
import { clearToasts } from '../../stores/toasts';
import { clearSessionCookie, fakeApi, jsonResponse } from '../../test/fakes';

const job = (n: number, status: string, overrides: Record<string, unknown> = {}) => ({
  id: `5f0c1c1e-0000-4000-8000-00000000000${n}`, sourceType: 'magnet', source: null, title: `Job ${status}`, status,
  progress: 40, bytesDone: 0, bytesTotal: null, attempt: 1, retryCount: 0,
  createdAt: new Date().toISOString(), updatedAt: new Date().toISOString(), ...overrides,
});

beforeEach(() => resetSessionForTests());
afterEach(() => {
  clearSessionCookie();
  clearToasts();
});

describe('download card', { timeout: 20_000 }, () => {
  it('offers Play on running and completed downloads, linking to the download player', async () => {
    const items = [job(1, 'downloading'), job(2, 'completed'), job(3, 'failed'), job(4, 'cancelled'), job(5, 'queued', { cancelRequested: true })];
    fakeApi({ 'GET /api/v1/downloads': () => jsonResponse(200, { items, nextCursor: null }) });
    window.history.replaceState(null, '', '/app/downloads');
    render(() => <App />);
    const list = await screen.findByRole('list', { name: 'Downloads' }, { timeout: 15_000 });
    const plays = within(list).getAllByRole('link', { name: /^Play / });
    expect(plays.map((a) => a.getAttribute('aria-label'))).toEqual(['Play Job downloading', 'Play Job completed']);
    expect(plays[0]).toHaveAttribute('href', '/app/watch/download/5f0c1c1e-0000-4000-8000-000000000001');
  });
});
