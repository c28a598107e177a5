import { render, screen } from '@solidjs/testing-library';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import App from '../App';
import { resetSessionForTests } from '../stores/session';
import { clearToasts } from '../stores/toasts';
import { clearSessionCookie, fakeApi, jsonResponse } from '../test/fakes';
import { titleHref } from '../lib/format';

const CHANNEL = '7f1c2a9e-3b4d-4e5f-8a6b-1c2d3e4f5a6b';
const video = {
  mediaId: 902, mediaType: 'video', youtubeId: 'yt902', title: 'Why the sky is blue', description: 'Rayleigh scattering, slowly.',
  url: 'https://www.youtube.com/watch?v=yt902', thumbnailUrl: null, publishedAt: new Date().toISOString(), views: 3,
  channelId: CHANNEL, channelTitle: 'Veritasium', watched: false, onWatchLater: false, progress: null,
  libraryItemId: 'li-902', download: null,
};

beforeAll(() => import('./Video'), 60_000);
beforeEach(() => resetSessionForTests());
afterEach(() => {
  clearSessionCookie();
  clearToasts();
});

describe('video page', { timeout: 20_000 }, () => {
  it('is where a video title links to: the card, its description and its channel', async () => {
    expect(titleHref({ id: 902, mediaType: 'video' })).toBe('/app/videos/902');
    fakeApi({ 'GET /api/v1/videos/902': () => jsonResponse(200, video) });
    window.history.replaceState(null, '', '/app/videos/902');
    render(() => <App />);
    expect(await screen.findByRole('heading', { level: 1, name: 'Why the sky is blue' })).toBeInTheDocument();
    expect(screen.getByText('Rayleigh scattering, slowly.')).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'All videos of Veritasium' })).toHaveAttribute('href', `/app/channels/${CHANNEL}`);
    expect(screen.getByTestId('video-play')).toHaveAttribute('href', '/app/watch/li-902');
  });

  it('says so when the video is not one of a channel you follow', async () => {
    fakeApi({ 'GET /api/v1/videos/5': () => jsonResponse(404, { error: { code: 'video_not_found', message: 'No video of a channel you follow has this id' } }) });
    window.history.replaceState(null, '', '/app/videos/5');
    render(() => <App />);
    expect(await screen.findByText('This video is not here')).toBeInTheDocument();
  });
});
