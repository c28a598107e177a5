import { render, screen, within } from '@solidjs/testing-library';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import App from '../../App';
import { resetSessionForTests } from '../../stores/session';
import { clearToasts } from '../../stores/toasts';
import { clearSessionCookie, fakeApi, jsonResponse } from '../../test/fakes';

const movie = {
  id: 7, mediaType: 'movie', title: 'Heat', year: 1995, genres: [], similar: [],
  backdropUrl: 'https://img.test/heat-backdrop.jpg', logoUrl: 'https://img.test/heat-logo.png',
  externalRatings: [
    { source: 'metacritic', value: '76/100', score: 76 },
    { source: 'imdb', value: '8.3/10', score: 83, votes: 712000 },
    { source: 'rotten_tomatoes', value: '83%', score: 83 },
  ],
  credits: {
    cast: [
      { personId: 12, name: 'Robert De Niro', character: 'Neil McCauley', order: 1, profileUrl: null },
      { personId: 11, name: 'Al Pacino', character: 'Vincent Hanna', order: 0, profileUrl: 'https://img.test/pacino.jpg' },
    ],
    crew: [
      { personId: 42, name: 'Michael Mann', job: 'Director' },
      { personId: 42, name: 'Michael Mann', job: 'Screenplay' },
      { personId: 50, name: 'Some Grip', job: 'Key Grip' },
    ],
  },
};

const SLOW = { timeout: 15_000 };

// The page is a lazy chunk: transform it once up front so the first test's queries do not time out on it.
beforeAll(() => import('./MovieDetail'), 60_000);
beforeEach(() => resetSessionForTests());
afterEach(() => {
  clearSessionCookie();
  clearToasts();
});

function open(body: object = movie, versions?: object) {
  fakeApi({
    'GET /api/v1/movies/7': () => jsonResponse(200, body),
    ...(versions ? { 'GET /api/v1/library/versions': (_r: Request, url: URL) => (url.searchParams.get('mediaId') === '7' ? jsonResponse(200, versions) : undefined) } : {}),
    'GET /api/v1/watched': () => jsonResponse(200, { items: [], page: 1, pageSize: 1, total: 0 }),
    'GET /api/v1/ratings/7': () => jsonResponse(404, { error: { code: 'rating_not_found', message: 'none' } }),
  });
  window.history.replaceState(null, '', '/app/movies/7');
  render(() => <App />);
}

describe('movie page: credits, ratings and artwork', { timeout: 20_000 }, () => {
  it('lists the cast in billing order, each linking to their page, with initials when there is no photo', async () => {
    open();
    const cast = await screen.findByRole('list', { name: 'Cast' }, SLOW);
    const links = within(cast).getAllByRole('link');
    expect(links.map((link) => link.getAttribute('href'))).toEqual(['/app/people/11', '/app/people/12']);
    expect(links[0]).toHaveTextContent('Al PacinoVincent Hanna');
    expect(within(links[1]!).getByTestId('person-initials')).toHaveTextContent('RD');
  });

  it('links the key crew to their pages and leaves minor jobs out', async () => {
    open();
    const director = await screen.findByText('Director', {}, SLOW);
    expect(director.nextElementSibling).toContainElement(screen.getAllByRole('link', { name: 'Michael Mann' })[0]!);
    expect(screen.getAllByRole('link', { name: 'Michael Mann' }).map((l) => l.getAttribute('href'))).toEqual(['/app/people/42', '/app/people/42']);
    expect(screen.queryByText('Some Grip')).not.toBeInTheDocument();
  });

  it('shows the wordmark with the title kept as the heading, and the ratings as named badges', async () => {
    open();
    const heading = await screen.findByRole('heading', { level: 1, name: 'Heat' }, SLOW);
    expect(heading).toHaveClass('sr-only');
    expect(screen.getByTestId('title-logo')).toHaveAttribute('src', 'https://img.test/heat-logo.png');
    const ratings = within(screen.getByRole('list', { name: 'Ratings' })).getAllByRole('listitem');
    expect(ratings.map((r) => r.getAttribute('aria-label'))).toEqual([
      'IMDb 8.3/10 from 712,000 votes',
      'Rotten Tomatoes 83%',
      'Metacritic 76/100',
    ]);
  });

  it('keeps the text title when there is no wordmark, and no cast row without credits', async () => {
    open({ ...movie, logoUrl: null, credits: { cast: [], crew: [] }, externalRatings: [] });
    const heading = await screen.findByRole('heading', { level: 1, name: 'Heat' }, SLOW);
    expect(heading).not.toHaveClass('sr-only');
    expect(screen.queryByRole('list', { name: 'Cast' })).not.toBeInTheDocument();
    expect(screen.queryByRole('list', { name: 'Ratings' })).not.toBeInTheDocument();
  });
});

const version = (id: string, resolution: string, playMode: string, playNote: string, more: object = {}) => ({
  id, fileName: `Heat.1995.${resolution}.mkv`, sizeBytes: 2_000_000_000, resolution, source: 'BluRay', videoCodec: 'h264',
  audioCodecs: ['aac'], audioLanguages: [], subtitleCount: 0, playMode, playable: playMode !== 'damaged', playNote,
  createdAt: '2026-11-01T10:00:00Z', ...more,
});
const held = {
  mediaId: 7, episode: null, bestId: 'v720',
  versions: [
    version('v720', '720p', 'direct', 'Plays directly in the browser'),
    version('v2160', '2160p', 'hls', 'HEVC video: converted when you press Play, about a minute', { videoCodec: 'hevc' }),
  ],
  resume: null,
};

describe('movie page: Play from the library', { timeout: 20_000 }, () => {
  it('has no Play when the library holds no file of the movie', async () => {
    open(movie, { mediaId: 7, episode: null, bestId: null, versions: [], resume: null });
    await screen.findByRole('heading', { level: 1, name: 'Heat' }, SLOW);
    expect(screen.queryByRole('link', { name: /^(Play|Resume)/ })).toBeNull();
  });

  it('plays the best version and offers the others in a picker', async () => {
    open(movie, held);
    expect(await screen.findByRole('link', { name: 'Play' }, SLOW)).toHaveAttribute('href', '/app/watch/v720');
    await userEvent.setup().click(screen.getByRole('button', { name: '2 versions' }));
    const dialog = await screen.findByRole('dialog', { name: 'Play a version of Heat' });
    expect(within(dialog).getByRole('link', { name: 'Play 2160p BluRay version' })).toHaveAttribute('href', '/app/watch/v2160');
    expect(within(dialog).getByText('HEVC video: converted when you press Play, about a minute')).toBeInTheDocument();
  });

  it('resumes from the saved position', async () => {
    open(movie, { ...held, versions: held.versions.slice(0, 1), resume: { positionSeconds: 2530, durationSeconds: 10260 } });
    expect(await screen.findByRole('link', { name: 'Resume from 42:10' }, SLOW)).toHaveAttribute('href', '/app/watch/v720');
    expect(screen.queryByRole('button', { name: /versions$/ })).toBeNull();
  });

  it('says why when no version can play', async () => {
    const damaged = version('bad', '1080p', 'damaged', 'Damaged file: ffprobe could not read it');
    open(movie, { ...held, bestId: null, versions: [damaged] });
    expect(await screen.findByText("Can't play: Damaged file: ffprobe could not read it", {}, SLOW)).toBeInTheDocument();
    expect(screen.queryByRole('link', { name: 'Play' })).toBeNull();
  });
});

describe('movie page: on your media servers', { timeout: 20_000 }, () => {
  const copy = (over: object) => ({ serverId: 'm1', serverName: 'Living room', kind: 'jellyfin', itemId: 'a1', openUrl: 'http://jellyfin.lan:8096/web/#/details?id=a1', playable: true, ...over });

  it('says "On your Jellyfin" and links to the movie there, in a new tab', async () => {
    open({ ...movie, owned: [copy({ playable: false, itemId: 'folder' }), copy({})] });
    const badge = await screen.findByTestId('owned-badge', {}, SLOW);
    expect(badge).toHaveTextContent('On your Jellyfin');
    expect(screen.getAllByTestId('owned-badge')).toHaveLength(1); // one server, one badge: its playable copy
    const link = screen.getByRole('link', { name: 'Open in Jellyfin' });
    expect(link).toHaveAttribute('href', 'http://jellyfin.lan:8096/web/#/details?id=a1');
    expect(link).toHaveAttribute('target', '_blank');
    expect(link).toHaveAttribute('rel', 'noopener noreferrer');
  });

  it('names each server when several hold the movie', async () => {
    open({ ...movie, owned: [copy({}), copy({ serverId: 'm2', serverName: 'Plex at the cabin', kind: 'plex', openUrl: 'https://app.plex.tv/desktop#!/server/x/details?key=9' })] });
    await screen.findByRole('list', { name: 'On your media servers' }, SLOW);
    expect(screen.getAllByTestId('owned-badge').map((b) => b.textContent)).toEqual(['On Living room Jellyfin', 'On Plex at the cabin']);
    expect(screen.getByRole('link', { name: 'Open in Plex at the cabin' })).toHaveAttribute('href', 'https://app.plex.tv/desktop#!/server/x/details?key=9');
    expect(screen.getByRole('link', { name: 'Open in Living room Jellyfin' })).toBeInTheDocument();
  });

  it('shows no badge when no server holds the movie', async () => {
    open({ ...movie, owned: [] });
    await screen.findByRole('heading', { level: 1, name: 'Heat' }, SLOW);
    expect(screen.queryByTestId('owned-badge')).toBeNull();
    expect(screen.queryByRole('link', { name: /^Open in/ })).toBeNull();
  });
});
