import { render, screen, waitFor } from '@solidjs/testing-library';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import App from '../../App';
import { resetSessionForTests } from '../../stores/session';
import { clearToasts } from '../../stores/toasts';
import { clearSessionCookie, fakeApi, jsonResponse } from '../../test/fakes';

const season = {
  showId: 5, showTitle: 'Dark', seasonNumber: 1,
  episodes: [
    {
      id: 101, episodeNumber: 1, name: 'Secrets', runtimeMinutes: 51, airDate: '2017-12-01', stillUrl: 'https://img.test/dark-101.jpg',
      overview: 'A boy vanishes in the woods of Winden.',
    },
    { id: 102, episodeNumber: 2, name: 'Lies', runtimeMinutes: 44, airDate: null, stillUrl: null, overview: null },
  ],
};
const progress = (plays: number) => ({
  media: { id: 5, mediaType: 'show', title: 'Dark', year: 2017, posterPath: null },
  aired: 2, watched: plays ? 1 : 0, percent: 0, completed: false, lastWatchedAt: null, nextEpisode: null,
  seasons: [{
    seasonNumber: 1, aired: 2, watched: plays ? 1 : 0, completed: false,
    episodes: [
      { id: 101, episodeNumber: 1, name: 'Secrets', airDate: null, aired: true, watched: plays > 0, plays, lastWatchedAt: null },
      { id: 102, episodeNumber: 2, name: 'Lies', airDate: null, aired: true, watched: false, plays: 0, lastWatchedAt: null },
    ],
  }],
});
const versions = {
  mediaId: 5, episode: { id: 101, season: 1, episode: 1, title: 'Secrets' }, bestId: 'f1',
  versions: [{
    id: 'f1', fileName: 'Dark.S01E01.1080p.mkv', sizeBytes: 1_000_000_000, resolution: '1080p', source: null, videoCodec: 'h264',
    audioCodecs: ['aac'], audioLanguages: [], subtitleCount: 0, playMode: 'remux', playable: true,
    playNote: 'MKV file: repackaged when you press Play, a few seconds', createdAt: '2026-11-01T10:00:00Z',
  }],
  resume: { positionSeconds: 600, durationSeconds: 3060 },
};

const SLOW = { timeout: 15_000 };

function open(path: string) {
  let plays = 0;
  const posts: unknown[] = [];
  const asked: string[] = [];
  fakeApi({
    'GET /api/v1/shows/5/seasons/1': () => jsonResponse(200, season),
    'GET /api/v1/shows/5/progress': () => jsonResponse(200, progress(plays)),
    'GET /api/v1/library/versions': (_r, url) => {
      asked.push(url.search);
      return url.searchParams.get('episodeId') === '101'
        ? jsonResponse(200, versions)
        : jsonResponse(200, { mediaId: 5, episode: null, bestId: null, versions: [], resume: null });
    },
    'POST /api/v1/watched': async (request) => {
      posts.push(await request.json());
      plays += 1;
      return jsonResponse(201, {});
    },
  });
  window.history.replaceState(null, '', path);
  render(() => <App />);
  return { posts, asked };
}

beforeAll(() => import('./EpisodeDetail'), 60_000);
beforeEach(() => resetSessionForTests());
afterEach(() => {
  clearSessionCookie();
  clearToasts();
});

describe('episode page', { timeout: 20_000 }, () => {
  it('shows the synopsis, still and air date, and resumes the library file', async () => {
    const { asked } = open('/app/shows/5/season/1/episode/1');
    expect(await screen.findByRole('heading', { level: 1, name: 'Secrets' }, SLOW)).toBeInTheDocument();
    const about = screen.getByRole('region', { name: 'About this episode' });
    expect(about).toHaveTextContent('A boy vanishes in the woods of Winden.');
    expect(about).toHaveTextContent('Aired Dec 1, 2017');
    expect(screen.getByRole('img', { name: 'Still from Secrets' })).toHaveAttribute('src', 'https://img.test/dark-101.jpg');
    expect(await screen.findByRole('link', { name: 'Resume from 10:00' })).toHaveAttribute('href', '/app/watch/f1');
    expect(asked).toContain('?mediaId=5&episodeId=101');
    expect(screen.getByRole('button', { name: /^Get/ })).toBeInTheDocument();
  });

  it('marks the episode watched with its id', async () => {
    const user = userEvent.setup();
    const { posts } = open('/app/shows/5/season/1/episode/2');
    await screen.findByRole('heading', { level: 1, name: 'Lies' }, SLOW);
    expect(screen.getByRole('region', { name: 'About this episode' })).toHaveTextContent('The catalog has no synopsis of this episode yet.');
    expect(screen.queryByRole('link', { name: /^(Play|Resume)/ })).toBeNull(); // the library has no file of it
    await user.click(await screen.findByRole('button', { name: 'Mark watched' }));
    await waitFor(() => expect(posts).toEqual([{ mediaId: 5, episodeId: 102 }]));
    expect(await screen.findByRole('button', { name: 'Remove the latest watch' })).toBeInTheDocument();
  });
});
