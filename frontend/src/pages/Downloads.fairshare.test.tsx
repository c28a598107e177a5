import { render, screen, within } from '@solidjs/testing-library';
import { afterEach, beforeEach, expect, it } from 'vitest';
import App from '../App';
import { resetSessionForTests } from '../stores/session';
import { clearToasts } from '../stores/toasts';
import { clearSessionCookie, fakeApi, jsonResponse } from '../test/fakes';

const job = (id: string, overrides: Record<string, unknown>) => ({
  id, sourceType: 'magnet', source: `magnet:?xt=urn:btih:${id.slice(-1).repeat(40)}`, title: `Film ${id.slice(-1)}`,
  progress: 0, bytesDone: 0, bytesTotal: null, attempt: 1, retryCount: 0,
  createdAt: new Date().toISOString(), updatedAt: new Date().toISOString(), ...overrides,
});

beforeEach(() => resetSessionForTests());
afterEach(() => {
  clearSessionCookie();
  clearToasts();
});

it('shows why a queued download waits (the per-user cap) and nothing on a dispatched one', { timeout: 20_000 }, async () => {
  fakeApi({
    'GET /api/v1/downloads': () => jsonResponse(200, {
      items: [
        job('5f0c1c1e-0000-4000-8000-000000000001', { status: 'queued', dispatched: false, queuedReason: 'waiting for your other downloads' }),
        job('5f0c1c1e-0000-4000-8000-000000000002', { status: 'queued', dispatched: true, queuedReason: null }),
      ],
      nextCursor: null,
    }),
  });
  window.history.replaceState(null, '', '/app/downloads');
  render(() => <App />);
  const list = await screen.findByRole('list', { name: 'Downloads' }, { timeout: 15_000 });
  const items = within(list).getAllByRole('listitem');
  expect(items).toHaveLength(2);
  const [waiting, sent] = items as [HTMLElement, HTMLElement];
  expect(within(waiting).getByText('waiting for your other downloads')).toBeInTheDocument();
  expect(within(sent).queryByText(/waiting for/)).toBeNull();
});
