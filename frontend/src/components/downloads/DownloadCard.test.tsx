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

  it('shows the title, episode and quality instead of the release name, which is one line in the details', async () => {
    const media = { id: 1396, mediaType: 'show', title: 'Breaking Bad', year: 2008, posterUrl: null, genres: [] };
    const items = [
      job(1, 'stalled', {
        title: 'Breaking.Bad.S01E02.1080p.WEB-DL.H264-GRP', media, season: 1, episode: 2,
        release: { resolution: 1080, source: 'web-dl', codec: 'h264' }, errorCode: 'worker_lost_job',
        errorMessage: 'The worker running this download stopped reporting on it',
      }),
    ];
    fakeApi({
      'GET /api/v1/downloads': () => jsonResponse(200, { items, nextCursor: null }),
      'GET /api/v1/downloads/5f0c1c1e-0000-4000-8000-000000000001/events': () => jsonResponse(200, { items: [], nextCursor: null }),
      'GET /api/v1/downloads/5f0c1c1e-0000-4000-8000-000000000001': () => jsonResponse(200, { ...items[0], files: [] }),
    });
    window.history.replaceState(null, '', '/app/downloads');
    render(() => <App />);
    const list = await screen.findByRole('list', { name: 'Downloads' }, { timeout: 15_000 });
    const card = within(list).getAllByRole('listitem')[0]!;
    expect(card).toHaveTextContent('Breaking Bad · S01E02');
    expect(within(card).getByTestId('download-quality')).toHaveTextContent('1080p · WEB-DL · H.264');
    expect(card).toHaveTextContent('The worker stopped responding; retrying');
    expect(card).not.toHaveTextContent('Breaking.Bad.S01E02');
    expect(card).not.toHaveTextContent('worker_lost_job');

    within(card).getByRole('button', { name: /Show details of Breaking Bad/ }).click();
    expect(await within(card).findByTestId('release-name')).toHaveTextContent('Breaking.Bad.S01E02.1080p.WEB-DL.H264-GRP');
  });
});
