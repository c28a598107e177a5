import { render, screen, within } from '@solidjs/testing-library';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import App from '../App';
import { resetSessionForTests } from '../stores/session';
import { clearToasts } from '../stores/toasts';
import { clearSessionCookie, fakeApi, jsonResponse, sessionBody, testUser, type Route } from '../test/fakes';

const admin = { ...testUser, role: 'admin' as const };
const SLOW = { timeout: 15_000 };
const latency = (count: number, p50: number, p95: number) => ({ count, sum: count * p50, avg: p50, p50, p95 });
const metrics = (requests: number) => ({
  search_latency_ms: latency(12, 180, 950),
  score_latency_ms: latency(12, 3, 9),
  start_to_first_byte_ms: latency(4, 1200, 2400),
  buffer_events_total: { total: 7 },
  fallback_switch_total: { total: 2 },
  prefetch_hit_ratio: { ratio: 0.75, total: 4 },
  resume_success_total: { total: 3 },
  http_request_latency_ms: latency(requests, 20, 110),
  http_requests_total: { total: requests },
  http_request_errors_total: { total: 1 },
});

function openTab(routes: Record<string, Route>) {
  fakeApi({
    'POST /api/v1/auth/refresh': () => jsonResponse(200, { ...sessionBody(), user: admin }),
    'GET /api/v1/auth/me': () => jsonResponse(200, admin),
    ...routes,
  });
  window.history.replaceState(null, '', '/app/admin?tab=health');
  render(() => <App />);
}

beforeEach(() => resetSessionForTests());
afterEach(() => {
  clearSessionCookie();
  clearToasts();
});

describe('Admin → Health', () => {
  it('shows the key numbers of the last 24 h and reads another window when asked', async () => {
    const windows: string[] = [];
    openTab({
      'GET /api/v1/admin/metrics': (_request, url) => {
        windows.push(url.searchParams.get('window') ?? '');
        return jsonResponse(200, { metrics: metrics(url.searchParams.get('window') === '1h' ? 40 : 1234) });
      },
    });
    const numbers = await screen.findByRole('list', { name: 'Key numbers' }, SLOW);
    expect(within(within(numbers).getByRole('listitem', { name: 'Search' })).getByText('180 ms · p95 950 ms')).toBeInTheDocument();
    expect(within(numbers).getByRole('listitem', { name: 'Play to first frame' })).toHaveTextContent('1.2 s · p95 2.4 s');
    expect(within(numbers).getByRole('listitem', { name: 'Stalls' })).toHaveTextContent('7');
    expect(within(numbers).getByRole('listitem', { name: 'Next episode ready' })).toHaveTextContent('75 %4 prefetched');
    expect(within(numbers).getByRole('listitem', { name: 'API requests' })).toHaveTextContent('1,234 requests · 1 errors (5xx)');
    expect(windows).toEqual(['24h']);

    await userEvent.click(screen.getByRole('radio', { name: 'Last hour' }));
    expect(await within(numbers).findByText('40 requests · 1 errors (5xx)', {}, SLOW)).toBeInTheDocument();
    expect(windows).toEqual(['24h', '1h']);
  });

  it('says when nothing was recorded and shows an error it can retry', async () => {
    let fail = true;
    openTab({
      'GET /api/v1/admin/metrics': () => (fail
        ? jsonResponse(503, { error: { code: 'unavailable', message: 'Try again' } })
        : jsonResponse(200, { metrics: metrics(0) })),
    });
    expect(await screen.findByText("Couldn't read the metrics", {}, SLOW)).toBeInTheDocument();
    fail = false;
    await userEvent.click(screen.getByRole('button', { name: /try again|retry/i }));
    expect(await screen.findByText('Nothing recorded yet', {}, SLOW)).toBeInTheDocument();
  });
});
