import { render, screen, waitFor } from '@solidjs/testing-library';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import App from '../../App';
import { resetSessionForTests } from '../../stores/session';
import { clearToasts } from '../../stores/toasts';
import { clearSessionCookie, fakeApi, jsonResponse } from '../../test/fakes';

const SLOW = { timeout: 15_000 };
const copy = { serverId: 'm1', serverName: 'Living room', kind: 'jellyfin', itemId: 'a1', openUrl: 'http://jellyfin.lan:8096/web/#/details?id=a1', playable: true };
const movie = { id: 7, mediaType: 'movie', title: 'Heat', year: 1995, genres: [], similar: [], owned: [copy] };
const stream = { url: 'http://jellyfin.lan:8096/Videos/a1/stream?static=true&api_key=my-own-token', mime: 'video/x-matroska', container: 'mkv', mediaId: 7, episodeId: null, resumeSeconds: null };

beforeAll(() => Promise.all([import('./MovieDetail'), import('../ServerPlay')]), 60_000);
beforeEach(() => resetSessionForTests());
afterEach(() => {
  clearSessionCookie();
  clearToasts();
});

function open(linked: boolean) {
  let asked = 0;
  fakeApi({
    'GET /api/v1/movies/7': () => jsonResponse(200, movie),
    'GET /api/v1/watched': () => jsonResponse(200, { items: [], page: 1, pageSize: 1, total: 0 }),
    'GET /api/v1/me/media-servers': () => {
      asked += 1;
      return jsonResponse(200, { items: [{ serverId: 'm1', kind: 'jellyfin', name: 'Living room', linked, remoteUser: linked ? 'ana' : null, lastImport: null }] });
    },
    'GET /api/v1/media-servers/m1/items/a1/stream': () => jsonResponse(200, stream),
  });
  window.history.replaceState(null, '', '/app/movies/7');
  render(() => <App />);
  return { asked: () => asked };
}

describe('movie page: play from your media server', { timeout: 30_000 }, () => {
  it('offers "Play from Jellyfin" on a server you linked and plays its stream with your token', async () => {
    const user = userEvent.setup();
    open(true);
    const play = await screen.findByRole('link', { name: 'Play from Jellyfin' }, SLOW);
    expect(play).toHaveAttribute('href', '/app/play/m1/a1?server=Living+room&back=%2Fapp%2Fmovies%2F7&title=Heat');

    await user.click(play);

    expect(await screen.findByTestId('played-from', {}, SLOW)).toHaveTextContent('Playing from Living room');
    expect(screen.getByRole('heading', { level: 1, name: 'Heat' })).toBeInTheDocument();
    expect(document.querySelector('video')?.getAttribute('src')).toBe(stream.url);
  });

  it('offers no play button on a server you have not linked', async () => {
    const api = open(false);
    await screen.findByTestId('owned-badge', {}, SLOW);
    await waitFor(() => expect(api.asked()).toBe(1)); // your linked servers were asked, and answered "not linked"
    await Promise.resolve();
    expect(screen.queryByRole('link', { name: 'Play from Jellyfin' })).toBeNull();
  });
});
