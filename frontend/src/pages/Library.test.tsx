import { render, screen, waitFor, within } from '@solidjs/testing-library';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import App from '../App';
import { resetSessionForTests } from '../stores/session';
import { clearToasts } from '../stores/toasts';
import { clearSessionCookie, fakeApi, jsonResponse, sessionBody, testUser, type Route } from '../test/fakes';
import { kid, profileList } from '../test/profiles';

const admin = { ...testUser, role: 'admin' };
const base = { createdAt: '2026-11-01T10:00:00Z', indexedAt: '2026-11-01T10:00:00Z', subtitleCount: 0 };

const version = (id: string, fileName: string, more: Record<string, unknown> = {}) => ({
  id, fileName, sizeBytes: 4_200_000_000, resolution: '1080p', source: 'BluRay', videoCodec: 'h264', audioCodecs: ['aac'],
  audioLanguages: ['eng'], subtitleCount: 0, playMode: 'direct', playable: true, playNote: 'Plays directly in the browser',
  createdAt: base.createdAt, ...more,
});
const heatVersions = [
  version('a1', 'Heat.1995.1080p.BluRay.x264.mp4'),
  version('a2', 'Heat.1995.720p.WEB-DL.mkv', { resolution: '720p', source: 'WEB-DL', sizeBytes: 1_100_000_000, playMode: 'remux', playNote: 'MKV file: repackaged when you press Play, a few seconds' }),
  version('a3', 'Heat.1995.2160p.UHD.BluRay.x265.DTS.mkv', {
    resolution: '2160p', sizeBytes: 31_000_000_000, videoCodec: 'hevc', audioCodecs: ['dts'], playMode: 'hls',
    playNote: 'HEVC video: converted when you press Play, about a minute',
  }),
];
const heat = {
  ...base, id: 'a1', fileName: 'Heat.1995.1080p.BluRay.x264.mp4', title: 'Heat', year: 1995, matchState: 'matched',
  matchConfidence: 0.97, container: 'mp4', videoCodec: 'h264', resolution: '1080p', durationSeconds: 10_260,
  media: { id: 11, mediaType: 'movie', title: 'Heat', year: 1995 }, mediaType: 'movie',
  playMode: 'direct', playNote: 'Plays directly in the browser', versionCount: 3, versions: heatVersions,
};
const hevcNote = 'HEVC video: converted when you press Play, about a minute';
const episode = {
  ...base, id: 'b2', fileName: 'bb.s01e02.mkv', title: 'Breaking Bad', year: 2008, matchState: 'matched',
  container: 'mkv', videoCodec: 'hevc', mediaType: 'show', media: { id: 22, mediaType: 'show', title: 'Breaking Bad' },
  episode: { id: 202, season: 1, episode: 2, title: 'Cat’s in the Bag' }, playMode: 'hls', playNote: hevcNote,
  versionCount: 1, versions: [version('b2', 'bb.s01e02.mkv', { videoCodec: 'hevc', playMode: 'hls', playNote: hevcNote })],
};
const damagedNote = 'Damaged file: ffprobe could not read it';
const broken = {
  ...base, id: 'd4', fileName: 'Aliens (1986).mkv', title: 'Aliens', year: 1986, matchState: 'matched', container: null,
  videoCodec: null, media: { id: 44, mediaType: 'movie', title: 'Aliens', year: 1986 }, mediaType: 'movie',
  probeError: 'Invalid data found when processing input', flagged: true, playMode: 'damaged', playNote: damagedNote,
  versionCount: 1, versions: [version('d4', 'Aliens (1986).mkv', { resolution: null, source: null, videoCodec: null, audioCodecs: [], playMode: 'damaged', playable: false, playNote: damagedNote })],
};
const mystery = {
  ...base, id: 'c3', fileName: 'hte.1995.mp4', title: 'hte', year: 1995, matchState: 'unmatched',
  matchConfidence: 0.41, container: 'mp4', videoCodec: 'h264', playMode: 'direct', playNote: 'Plays directly in the browser',
  versionCount: 1, versions: [version('c3', 'hte.1995.mp4')],
};
const queued = {
  ...mystery, guess: { title: 'hte', year: 1995, type: 'movie' },
  candidates: [{ mediaId: 11, mediaType: 'movie', title: 'Heat', year: 1995, confidence: 0.41 }],
};
const page = (items: unknown[]) => ({ items, page: 1, pageSize: 24, total: items.length });

function libraryApi(extra: Record<string, Route> = {}) {
  const listQueries: string[] = [];
  const mock = fakeApi({
    'POST /api/v1/auth/refresh': () => jsonResponse(200, { ...sessionBody(), user: admin }),
    'GET /api/v1/auth/me': () => jsonResponse(200, admin),
    'GET /api/v1/library/titles': (_r, url) => {
      listQueries.push(url.search);
      return jsonResponse(200, page([heat, episode, broken, mystery]));
    },
    'GET /api/v1/library/unmatched': () => jsonResponse(200, page([queued])),
    'GET /api/v1/library/c3': () => jsonResponse(200, { ...queued, sizeBytes: 1, storageKey: 'k' }),
    ...extra,
  });
  return { mock, listQueries };
}

function open(path = '/app/library') {
  window.history.replaceState(null, '', path);
  render(() => <App />);
}

const card = (name: string) => screen.findByRole('article', { name });

// The page is a lazy chunk: transform it once up front so the first test's queries do not time out on it.
beforeAll(() => import('./Library'), 60_000);
beforeEach(() => resetSessionForTests());
afterEach(() => {
  clearSessionCookie();
  clearToasts();
});

describe('library page', { timeout: 20_000 }, () => {
  it('lists files as cards with play links, badges and the unmatched count', async () => {
    libraryApi();
    open();
    expect(await screen.findByRole('heading', { level: 1, name: 'Library' })).toBeInTheDocument();
    const movie = await card('Heat');
    expect(within(movie).getByRole('link', { name: 'Play Heat' })).toHaveAttribute('href', '/app/watch/a1');
    expect(within(movie).getByText('Matched')).toBeInTheDocument();
    expect(within(movie).getByText(/1995 · 1080p · 2h 51m/)).toBeInTheDocument();

    const ep = await card('Breaking Bad · S01E02 · Cat’s in the Bag');
    // HEVC in MKV: converted on Play, and the card says so.
    expect(within(ep).getByRole('link', { name: 'Play Breaking Bad · S01E02 · Cat’s in the Bag' })).toHaveAttribute('href', '/app/watch/b2');
    expect(within(ep).getByText(hevcNote)).toBeInTheDocument();
    const damaged = await card('Aliens');
    expect(within(damaged).queryByRole('link', { name: /^Play/ })).toBeNull();
    expect(within(damaged).getByText(damagedNote)).toBeInTheDocument();
    expect(screen.queryByText(/^Not playable in the browser$/)).toBeNull();

    expect(within(await card('hte')).getByText('Unmatched')).toBeInTheDocument();
    expect(await screen.findByRole('tab', { name: /^Unmatched 1/ })).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Rescan library' })).toBeInTheDocument();
  });

  it('shows a title’s files as one card whose versions list quality, size, codecs, file name and how each plays', async () => {
    const user = userEvent.setup();
    libraryApi();
    open();
    const movie = await card('Heat');
    expect(screen.getAllByRole('article', { name: 'Heat' })).toHaveLength(1);
    expect(within(movie).getByText(/4\.2 GB · Heat\.1995\.1080p\.BluRay\.x264\.mp4/)).toBeInTheDocument();
    await user.click(within(movie).getByRole('button', { name: '3 versions of Heat' }));
    const dialog = await screen.findByRole('dialog', { name: 'Heat' });
    const rows = within(within(dialog).getByRole('list', { name: 'Versions of Heat' })).getAllByRole('listitem');
    expect(rows.map((row) => row.getAttribute('aria-label'))).toEqual(['1080p BluRay, 4.2 GB', '720p WEB-DL, 1.1 GB', '2160p BluRay, 31 GB']);
    expect(within(rows[0]!).getByText('Best')).toBeInTheDocument();
    expect(within(rows[2]!).getByText(/^31 GB · HEVC · DTS$/)).toBeInTheDocument();
    expect(within(rows[2]!).getByText('Heat.1995.2160p.UHD.BluRay.x265.DTS.mkv')).toBeInTheDocument();
    expect(within(rows[2]!).getByText(hevcNote)).toBeInTheDocument();
    expect(within(rows[1]!).getByRole('link', { name: 'Play 720p WEB-DL version' })).toHaveAttribute('href', '/app/watch/a2');
    expect(screen.getByText('4 titles')).toBeInTheDocument();
  });

  it('sends filter changes to the API and resets the page', async () => {
    const user = userEvent.setup();
    const { listQueries } = libraryApi();
    open('/app/library?page=2');
    await card('Heat');
    expect(listQueries.at(-1)).toContain('page=2');

    await user.click(screen.getByRole('button', { name: 'Movies' }));
    await waitFor(() => expect(listQueries.at(-1)).toMatch(/mediaType=movie/));
    expect(listQueries.at(-1)).toContain('page=1');

    await user.selectOptions(screen.getByLabelText('Match state'), 'unmatched');
    await waitFor(() => expect(listQueries.at(-1)).toMatch(/matchState=unmatched/));

    await user.type(screen.getByRole('searchbox', { name: 'Search library' }), 'heat');
    await waitFor(() => expect(listQueries.at(-1)).toMatch(/query=heat/));
    expect(listQueries.at(-1)).toMatch(/mediaType=movie/);
  });

  it('matches a file from the dialog with the chosen title and shows it as a version of that title', async () => {
    const user = userEvent.setup();
    const bodies: unknown[] = [];
    let matched = false;
    libraryApi({
      'POST /api/v1/library/c3/match': async (request) => {
        bodies.push(await request.json());
        matched = true;
        return jsonResponse(200, { ...queued, title: 'Heat', matchState: 'matched', media: heat.media });
      },
      'GET /api/v1/library/titles': () =>
        jsonResponse(200, page(matched ? [{ ...heat, versionCount: 4, versions: [...heatVersions, version('c3', 'hte.1995.mp4')] }, episode] : [heat, episode, mystery])),
    });
    open();
    await user.click(within(await card('hte')).getByRole('button', { name: 'Match hte' }));
    const dialog = await screen.findByRole('dialog', { name: 'Match file' });
    expect(within(dialog).getByRole('searchbox', { name: 'Search titles' })).toBeInTheDocument();
    await user.click(await within(dialog).findByRole('button', { name: 'Choose Heat' }));

    await waitFor(() => expect(bodies).toEqual([{ mediaId: 11 }]));
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    // The grid is read again: the file is now one of Heat's versions, not a card of its own.
    await waitFor(() => expect(screen.queryByRole('article', { name: 'hte' })).toBeNull());
    await waitFor(() => expect(screen.getAllByRole('article', { name: 'Heat' })).toHaveLength(1));
    expect(within(screen.getByRole('article', { name: 'Heat' })).getByRole('button', { name: '4 versions of Heat' })).toBeInTheDocument();
    await waitFor(() => expect(screen.queryByRole('tab', { name: /^Unmatched 1/ })).toBeNull());
  });

  it('searches the catalog and posts the picked show', async () => {
    const user = userEvent.setup();
    const bodies: unknown[] = [];
    libraryApi({
      'GET /api/v1/search/suggest': (_r, url) =>
        url.searchParams.get('q') === 'fargo'
          ? jsonResponse(200, [
              { id: 31, mediaType: 'show', title: 'Fargo' },
              { id: 99, mediaType: 'game', title: 'Fargo: The Game' },
            ])
          : jsonResponse(200, []),
      'POST /api/v1/library/c3/match': async (request) => {
        bodies.push(await request.json());
        return jsonResponse(200, { ...queued, title: 'Fargo', matchState: 'matched' });
      },
    });
    open('/app/library?tab=unmatched');
    const entry = await card('hte');
    await user.click(within(entry).getByRole('button', { name: 'Match hte' }));
    const dialog = await screen.findByRole('dialog', { name: 'Match file' });
    await user.type(within(dialog).getByRole('searchbox', { name: 'Search titles' }), 'fargo');
    expect(await within(dialog).findByRole('button', { name: 'Choose Fargo' })).toBeInTheDocument();
    expect(within(dialog).queryByRole('button', { name: 'Choose Heat' })).toBeNull(); // guesses give way to results
    expect(within(dialog).queryByRole('button', { name: /Fargo: The Game/ })).toBeNull(); // games can't be matched
    await user.click(within(dialog).getByRole('button', { name: 'Choose Fargo' }));
    await waitFor(() => expect(bodies).toEqual([{ mediaId: 31 }]));
    await waitFor(() => expect(screen.queryByRole('article', { name: 'hte' })).toBeNull());
  });

  it('says how many files of the folder followed a correction and reads both views again', async () => {
    const user = userEvent.setup();
    let queueReads = 0;
    let refiled = false;
    const { listQueries } = libraryApi({
      'GET /api/v1/library/unmatched': () => {
        queueReads += 1;
        return jsonResponse(200, page(refiled ? [] : [queued]));
      },
      'POST /api/v1/library/c3/match': () => {
        refiled = true;
        return jsonResponse(200, { ...queued, title: 'Heat', matchState: 'matched', media: heat.media, refiledSiblings: 4 });
      },
    });
    open('/app/library?tab=unmatched');
    await user.click(within(await card('hte')).getByRole('button', { name: 'Match hte' }));
    const dialog = await screen.findByRole('dialog', { name: 'Match file' });
    await user.click(await within(dialog).findByRole('button', { name: 'Choose Heat' }));
    expect(await screen.findByText('hte → Heat and 4 more files in its folder')).toBeInTheDocument();
    await waitFor(() => expect([queueReads, listQueries.length]).toEqual([2, 2]));
  });

  it('rolls a refused match back, says why, and offers to force it', async () => {
    const user = userEvent.setup();
    const bodies: unknown[] = [];
    libraryApi({
      'POST /api/v1/library/c3/match': async (request) => {
        const body = await request.json();
        bodies.push(body);
        if (!(body as { force?: boolean }).force) {
          return jsonResponse(409, { error: { code: 'match_contradicts_parse', message: 'The file looks like an episode' } });
        }
        return jsonResponse(200, { ...queued, title: 'Heat', matchState: 'matched' });
      },
    });
    open();
    await user.click(within(await card('hte')).getByRole('button', { name: 'Match hte' }));
    await user.click(await within(await screen.findByRole('dialog', { name: 'Match file' })).findByRole('button', { name: 'Choose Heat' }));

    const toast = await screen.findByText("Couldn't match “hte”");
    expect(toast.closest('li')).toHaveTextContent('The file looks like an episode');
    // The dialog reopens with the reason at about the same time, hiding the page from the accessibility tree.
    expect(within(await screen.findByRole('article', { name: 'hte', hidden: true })).getByText('Unmatched')).toBeInTheDocument();
    expect(screen.getByRole('tab', { name: /^Unmatched 1/, hidden: true })).toBeInTheDocument();

    const dialog = await screen.findByRole('dialog', { name: 'Match file' });
    await user.click(within(dialog).getByRole('button', { name: 'Match to Heat anyway' }));
    await waitFor(() => expect(bodies).toEqual([{ mediaId: 11 }, { mediaId: 11, force: true }]));
  });

  it('ignores a file from the queue and puts it back when that fails', async () => {
    const user = userEvent.setup();
    libraryApi({
      'POST /api/v1/library/c3/ignore': () => jsonResponse(403, { error: { code: 'forbidden', message: 'Admins only' } }),
    });
    open('/app/library?tab=unmatched');
    await user.click(within(await card('hte')).getByRole('button', { name: 'Ignore hte' }));
    expect(await screen.findByText('Admins only')).toBeInTheDocument();
    expect(await card('hte')).toBeInTheDocument();
  });

  it('starts a rescan, follows it to the end and reloads the library', async () => {
    const user = userEvent.setup();
    const scan = { id: 's1', trigger: 'manual', status: 'queued', paths: [], acceptedCount: 0, indexedCount: 0, createdAt: '2026-11-01T10:00:00Z' };
    const { listQueries } = libraryApi({
      'POST /api/v1/library/rescan': () => jsonResponse(202, scan),
      'GET /api/v1/library/scans/s1': () => jsonResponse(200, { ...scan, status: 'completed', indexedCount: 3, finishedAt: '2026-11-01T10:01:00Z' }),
    });
    open();
    await card('Heat');
    const loads = listQueries.length;
    await user.click(screen.getByRole('button', { name: 'Rescan library' }));
    expect(await screen.findByText('Scan finished · 3 files indexed')).toBeInTheDocument();
    await waitFor(() => expect(listQueries.length).toBeGreaterThan(loads));
  });

  it("gives a kid profile the titles only: no review queue asked for or shown, no rescan", async () => {
    const asked: string[] = [];
    libraryApi({
      'GET /api/v1/me/profiles': () => jsonResponse(200, profileList(kid.id)),
      'GET /api/v1/library/unmatched': () => {
        asked.push('unmatched');
        return jsonResponse(403, { error: { code: 'not_for_kids', message: 'This is not available to a kid profile' } });
      },
    });
    open('/app/library?tab=unmatched');
    expect(await card('Heat')).toBeInTheDocument();
    expect(screen.queryByRole('tab', { name: /^Unmatched/ })).toBeNull();
    expect(screen.queryByRole('button', { name: 'Rescan library' })).toBeNull(); // an admin account's kid
    expect(asked).toEqual([]);
  });

  it('hides admin controls from other users and shows an error with retry', async () => {
    let fail = true;
    fakeApi({
      'GET /api/v1/library/titles': () =>
        fail ? jsonResponse(503, { error: { code: 'unavailable', message: 'Database is down' } }) : jsonResponse(200, page([mystery])),
      'GET /api/v1/library/unmatched': () => jsonResponse(200, page([queued])),
    });
    open();
    expect(await screen.findByText('Database is down')).toBeInTheDocument();
    fail = false;
    await userEvent.setup().click(screen.getByRole('button', { name: 'Try again' }));
    const entry = await card('hte');
    expect(within(entry).queryByRole('button', { name: /^Match/ })).toBeNull();
    expect(screen.queryByRole('button', { name: 'Rescan library' })).toBeNull();
  });
});
