import { render, screen, waitFor } from '@solidjs/testing-library';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import App from '../../App';
import { resetSessionForTests } from '../../stores/session';
import { clearToasts } from '../../stores/toasts';
import { clearSessionCookie, fakeApi, jsonResponse } from '../../test/fakes';

const show = {
  id: 5, mediaType: 'show', title: 'Dark', year: 2017, genres: [], similar: [],
  seasons: [{ seasonNumber: 1, name: 'Season 1', episodeCount: 2 }],
};
const season = {
  showId: 5, showTitle: 'Dark', seasonNumber: 1,
  episodes: [
    { episodeNumber: 1, name: 'Secrets', runtimeMinutes: 51 },
    { episodeNumber: 2, name: 'Lies', runtimeMinutes: 44 },
  ],
};
const progress = (watchedFirst: boolean) => ({
  media: { id: 5, mediaType: 'show', title: 'Dark', year: 2017, posterPath: null },
  aired: 2, watched: watchedFirst ? 1 : 0, percent: watchedFirst ? 50 : 0, completed: false, lastWatchedAt: null, nextEpisode: null,
  seasons: [{
    seasonNumber: 1, aired: 2, watched: watchedFirst ? 1 : 0, completed: false,
    episodes: [
      { id: 101, episodeNumber: 1, name: 'Secrets', airDate: null, aired: true, watched: watchedFirst, plays: watchedFirst ? 1 : 0, lastWatchedAt: null },
      { id: 102, episodeNumber: 2, name: 'Lies', airDate: null, aired: true, watched: false, plays: 0, lastWatchedAt: null },
    ],
  }],
});

// The first render loads the app and page chunks, which can be slow on a busy machine.
const SLOW = { timeout: 15_000 };

beforeEach(() => resetSessionForTests());
afterEach(() => {
  clearSessionCookie();
  clearToasts();
});

function open(watchedRoute: () => Response, versions?: object) {
  let marked = false;
  const posts: unknown[] = [];
  fakeApi({
    ...(versions ? { 'GET /api/v1/library/versions': () => jsonResponse(200, versions) } : {}),
    'GET /api/v1/shows/5': () => jsonResponse(200, show),
    'GET /api/v1/shows/5/seasons/1': () => jsonResponse(200, season),
    'GET /api/v1/shows/5/progress': () => jsonResponse(200, progress(marked)),
    'GET /api/v1/ratings/5': () => jsonResponse(404, { error: { code: 'rating_not_found', message: 'none' } }),
    'POST /api/v1/watched': async (request) => {
      posts.push(await request.json());
      const response = watchedRoute();
      marked = response.ok;
      return response;
    },
  });
  window.history.replaceState(null, '', '/app/shows/5');
  render(() => <App />);
  return posts;
}

describe('show page: per-episode watched toggles', { timeout: 20_000 }, () => {
  it('marks an episode with its id and updates the season count', async () => {
    const user = userEvent.setup();
    const posts = open(() => jsonResponse(201, { id: 'h1' }));
    const toggle = await screen.findByRole('button', { name: 'S01E01 Secrets watched' }, SLOW);
    expect(screen.getByText('0 of 2 aired episodes watched')).toBeInTheDocument();
    await user.click(toggle);
    expect(toggle).toHaveAttribute('aria-pressed', 'true');
    expect(await screen.findByText('1 of 2 aired episodes watched')).toBeInTheDocument();
    expect(posts).toEqual([{ mediaId: 5, episodeId: 101 }]);
  });

  it('rolls the toggle back and explains when the API refuses', async () => {
    const user = userEvent.setup();
    open(() => jsonResponse(404, { error: { code: 'episode_not_found', message: 'That episode is not part of this show' } }));
    const toggle = await screen.findByRole('button', { name: 'S01E02 Lies watched' }, SLOW);
    await user.click(toggle);
    expect(await screen.findByText('That episode is not part of this show')).toBeInTheDocument();
    await waitFor(() => expect(toggle).toHaveAttribute('aria-pressed', 'false'));
    expect(screen.getByText('0 of 2 aired episodes watched')).toBeInTheDocument();
  });
});

describe('show page: Play from the library', { timeout: 20_000 }, () => {
  it('resumes the episode in progress, named on the button', async () => {
    open(() => jsonResponse(201, {}), {
      mediaId: 5, episode: { id: 102, season: 1, episode: 2, title: 'Lies' }, bestId: 'f2',
      versions: [{
        id: 'f2', fileName: 'Dark.S01E02.mkv', sizeBytes: 1, resolution: '720p', source: null, videoCodec: 'h264',
        audioCodecs: ['aac'], audioLanguages: [], subtitleCount: 0, playMode: 'remux', playable: true,
        playNote: 'MKV file: repackaged when you press Play, a few seconds', createdAt: '2026-11-01T10:00:00Z',
      }],
      resume: { positionSeconds: 600, durationSeconds: 2640 },
    });
    expect(await screen.findByRole('link', { name: 'Resume S01E02 from 10:00' }, SLOW)).toHaveAttribute('href', '/app/watch/f2');
  });
});
