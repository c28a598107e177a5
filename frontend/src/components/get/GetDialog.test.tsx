import { render, screen, waitFor, within } from '@solidjs/testing-library';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import App from '../../App';
import { resetSessionForTests } from '../../stores/session';
import { clearToasts } from '../../stores/toasts';
import { clearSessionCookie, fakeApi, jsonResponse, type Route } from '../../test/fakes';

const season = {
  showId: 5, showTitle: 'Dark', seasonNumber: 1,
  episodes: [{ episodeNumber: 1, name: 'Secrets' }, { episodeNumber: 2, name: 'Lies', overview: 'Ulrich looks for Mikkel.' }],
};
const parsed = (over: Record<string, unknown>) => ({
  title: 'Dark', year: null, season: 1, seasons: [1], episodes: [2], pack: false, absolute: null, resolution: 1080,
  source: 'web-dl', codec: 'h264', hdr: null, audio: 'ddp 5.1', languages: [], group: 'NTb', ...over,
});
const candidate = (name: string, over: Record<string, unknown>) => ({
  name, infohash: null, size: 1_500_000_000, seeders: 10, leechers: 1, indexer: 'Demo', publishedAt: null,
  parsed: parsed({}), score: { total: 50, health: 50, quality: 50, size: 50, consistency: 50 }, rejected: null, reasons: [], ...over,
});
const best = candidate('Dark.S01E02.1080p.WEB-DL.DDP5.1.H.264-NTb', {
  infohash: 'a'.repeat(40), seeders: 38, leechers: 2,
  score: { total: 88.4, health: 91, quality: 90, size: 80, consistency: 100 },
  reasons: ['1080p WEB-DL fits your profile', '38 seeders', 'size 1.5 GB = 36 MB/min, within 8–80'],
});
const pack = candidate('Dark.S01.720p.HDTV.x264-GRP', {
  infohash: 'b'.repeat(40), parsed: parsed({ pack: true, episodes: [], resolution: 720, source: 'hdtv', group: 'GRP' }),
  score: { total: 61, health: 70, quality: 55, size: 60, consistency: 0 }, reasons: ['season pack S01 holds E02'],
});
const cam = candidate('Dark.S01E02.CAM.XviD', { infohash: 'c'.repeat(40), score: { total: 0, health: 0, quality: 0, size: 0, consistency: 0 }, rejected: 'CAM recordings are rejected' });
const sources = { candidates: [best, pack, cam], errors: [{ indexer: 'Slow tracker', message: 'timed out after 10 s' }] };
const pickOf = (name: string) => ({
  id: 'p1', mediaId: 5, profileHash: '0123456789abcdef', name, indexer: 'Demo', score: {}, reason: 'best', createdAt: '2026-11-23T12:00:00Z',
});
const job = { id: 'job-1', title: best.name, status: 'queued', sourceType: 'magnet', attempt: 1, bytesDone: 0, createdAt: '2026-11-23T12:00:00Z' };

const noHistory = () => jsonResponse(200, { current: null, trail: [] });

function openEpisode(routes: Record<string, Route> = {}) {
  const searches: string[] = [];
  const picks: unknown[] = [];
  fakeApi({
    'GET /api/v1/shows/5/seasons/1': () => jsonResponse(200, season),
    'GET /api/v1/picks': noHistory,
    'GET /api/v1/sources': (_r, url) => {
      searches.push(url.search);
      return jsonResponse(200, sources);
    },
    'POST /api/v1/picks': async (request) => {
      const body = (await request.json()) as { infohash: string };
      picks.push(body);
      const chosen = sources.candidates.find((c) => c.infohash === body.infohash)!;
      const pick = { ...pickOf(chosen.name), season: 1, episode: 2, infohash: chosen.infohash, reason: 'chosen' };
      return jsonResponse(201, { pick, job: { ...job, title: chosen.name }, reused: false });
    },
    ...routes,
  });
  window.history.replaceState(null, '', '/app/shows/5/season/1/episode/2');
  render(() => <App />);
  return { searches, picks };
}

async function openDialog() {
  const user = userEvent.setup();
  expect(await screen.findByRole('heading', { level: 1, name: 'Lies' })).toBeInTheDocument();
  await user.click(screen.getByRole('button', { name: 'Get' }));
  return { user, dialog: await screen.findByRole('dialog', { name: 'Get Dark · S01E02' }) };
}

const radios = (dialog: HTMLElement) => within(dialog).getAllByRole('radio') as HTMLInputElement[];

beforeAll(() => import('../../pages/detail/EpisodeDetail'), 60_000);
beforeEach(() => resetSessionForTests());
afterEach(() => {
  clearSessionCookie();
  clearToasts();
});

describe('get dialog', { timeout: 20_000 }, () => {
  it('lists the ranked releases with the best pre-selected, score parts, reasons and the rejects folded away', async () => {
    const { searches } = openEpisode();
    const { dialog } = await openDialog();
    await within(dialog).findByRole('list', { name: 'Releases' });
    expect(searches).toEqual(['?mediaId=5&season=1&episode=2']);

    expect(radios(dialog).map((r) => r.getAttribute('aria-label'))).toEqual([best.name, pack.name]);
    expect(radios(dialog).map((r) => r.checked)).toEqual([true, false]);
    const first = radios(dialog)[0]!.closest('li')!;
    expect(within(first).getByText('Best match')).toBeInTheDocument();
    expect(first).toHaveTextContent('88 points of 100');
    expect(within(first).getByRole('meter', { name: 'Health' })).toHaveAttribute('aria-valuenow', '91');
    expect(within(first).getByRole('meter', { name: 'Consistency' })).toHaveAttribute('aria-valuenow', '100');
    expect(within(first).getByText('38 seeders')).toBeInTheDocument();
    expect(first).toHaveTextContent('1.5 GB · 38 seeders · 2 leechers · Demo');
    expect(within(first).getByText('WEB-DL')).toBeInTheDocument();
    expect(within(radios(dialog)[1]!.closest('li')!).getByText('Season pack S01')).toBeInTheDocument();

    const folded = within(dialog).getByText('1 rejected release');
    expect(folded.closest('details')).not.toHaveAttribute('open');
    expect(within(dialog).getByText(cam.name)).not.toBeVisible();
    expect(within(dialog).getByText('CAM recordings are rejected')).not.toBeVisible();
    expect(within(dialog).getByRole('note', { name: 'Indexer problems' })).toHaveTextContent('One indexer gave no results: Slow tracker: timed out after 10 s');

    // The slow indexer may answer now: "Search again" skips the server's search cache.
    await userEvent.setup().click(within(dialog).getByRole('button', { name: 'Search again' }));
    await waitFor(() => expect(searches).toEqual(['?mediaId=5&season=1&episode=2', '?mediaId=5&season=1&episode=2&fresh=true']));
  });

  it('sends what this device decodes with the search and the pick, so the server ranks and picks for it', async () => {
    vi.stubGlobal('MediaSource', { isTypeSupported: (type: string) => ['video/mp4; codecs="avc1.64001f"', 'video/mp4; codecs="mp4a.40.2"'].includes(type) });
    try {
      const { picks, searches } = openEpisode();
      const { user, dialog } = await openDialog();
      await within(dialog).findByRole('list', { name: 'Releases' });
      await user.click(within(dialog).getByRole('button', { name: 'Get this release' }));
      await waitFor(() => expect(picks).toHaveLength(1));
      expect(searches).toEqual(['?mediaId=5&season=1&episode=2&video=h264&audio=aac']);
      expect(picks[0]).toMatchObject({ mediaId: 5, season: 1, episode: 2, infohash: best.infohash, deviceCaps: { video: ['h264'], audio: ['aac'], hdr: false } });
    } finally {
      vi.unstubAllGlobals();
    }
  });

  it('gets the chosen release by its infohash and links to the download job', async () => {
    const { picks } = openEpisode();
    const { user, dialog } = await openDialog();
    await within(dialog).findByRole('list', { name: 'Releases' });
    radios(dialog)[0]!.focus();
    await user.keyboard('{ArrowDown}'); // native radios: arrows move the choice
    expect(radios(dialog)[1]).toBeChecked();
    await user.click(within(dialog).getByRole('button', { name: 'Get this release' }));

    await waitFor(() => expect(picks).toEqual([{ mediaId: 5, season: 1, episode: 2, infohash: pack.infohash }]));
    expect(await screen.findByText('Download started')).toBeInTheDocument();
    expect(within(dialog).getByRole('status')).toHaveTextContent(`Download started: ${pack.name}`);
    expect(within(dialog).getByRole('link', { name: 'View in Downloads' })).toHaveAttribute('href', '/app/downloads');
    // Watch now: the queued job plays as soon as its first pieces are in.
    expect(within(dialog).getByRole('link', { name: 'Play now' })).toHaveAttribute('href', '/app/watch/download/job-1?season=1&episode=2');
    expect(dialog).toHaveAttribute('data-size', 'lg');

    // The toast outlives the dialog and carries the same way on, followed inside the app (no reload).
    await user.keyboard('{Escape}');
    await waitFor(() => expect(dialog).not.toBeInTheDocument());
    const toast = within(screen.getByRole('list', { name: 'Notifications' })).getByText('Download started').closest('li')!;
    expect(toast).toHaveTextContent(pack.name);
    await user.click(within(toast).getByRole('link', { name: 'View in Downloads' }));
    expect(await screen.findByRole('heading', { level: 1, name: 'Downloads' })).toBeInTheDocument();
    expect(window.location.pathname).toBe('/app/downloads');
    expect(toast).not.toBeInTheDocument();
  });

  it('keeps the list and the choice when the pick fails, and says why', async () => {
    openEpisode({
      'POST /api/v1/picks': () => jsonResponse(404, { error: { code: 'candidate_not_found', message: 'That release is no longer listed' } }),
    });
    const { user, dialog } = await openDialog();
    await within(dialog).findByRole('list', { name: 'Releases' });
    await user.click(within(dialog).getByRole('button', { name: 'Get this release' }));

    const toast = await screen.findByText(`Couldn't get “${best.name}”`);
    expect(toast.closest('li')).toHaveTextContent('That release is no longer listed');
    expect(radios(dialog)[0]).toBeChecked();
    expect(within(dialog).getByRole('button', { name: 'Get this release' })).toBeEnabled();
    expect(within(dialog).queryByRole('link', { name: 'View in Downloads' })).toBeNull();
  });

  it('shows a failed search with a retry, then the empty result with the indexer errors', async () => {
    let fail = true;
    openEpisode({
      'GET /api/v1/sources': () =>
        fail
          ? jsonResponse(429, { error: { code: 'rate_limited', message: 'Too many searches, wait a minute' } })
          : jsonResponse(200, { candidates: [], errors: [{ indexer: 'Junk', message: 'not Torznab XML' }] }),
    });
    const { user, dialog } = await openDialog();
    expect(await within(dialog).findByText('Too many searches, wait a minute')).toBeInTheDocument();
    fail = false;
    await user.click(within(dialog).getByRole('button', { name: 'Try again' }));
    expect(await within(dialog).findByText('No releases found for Dark · S01E02.')).toBeInTheDocument();
    expect(within(dialog).getByRole('note', { name: 'Indexer problems' })).toHaveTextContent('Junk: not Torznab XML');
  });

  it('names the releases an indexer sent that cannot be used apart from the indexers that failed', async () => {
    openEpisode({
      'GET /api/v1/sources': () => jsonResponse(200, {
        candidates: [],
        errors: [
          { indexer: 'Junk', message: 'not Torznab XML' },
          { indexer: 'Relative', title: 'Dark.S01E02.2160p.WEB-DL.x265-GRP', message: 'no valid magnet or http(s) link' },
        ],
      }),
    });
    const { dialog } = await openDialog();
    expect(await within(dialog).findByText('No releases found for Dark · S01E02.')).toBeInTheDocument();
    expect(within(dialog).getByRole('note', { name: 'Indexer problems' })).toHaveTextContent('One indexer gave no results: Junk: not Torznab XML');
    const leftOut = within(dialog).getByRole('group', { name: 'Releases left out' });
    expect(leftOut).not.toHaveAttribute('open');
    expect(leftOut).toHaveTextContent('One release was left out: they cannot be downloaded');
    expect(within(leftOut).getByRole('listitem')).toHaveTextContent('Dark.S01E02.2160p.WEB-DL.x265-GRP (Relative): no valid magnet or http(s) link');
  });

  it('explains nothing found: the indexers asked, the query each was sent, what each rejected and what to do next', async () => {
    const asked = (over: Record<string, unknown>) => ({
      indexer: 'Demo indexer (local)', found: 0, fitting: 0, rejected: 0, rejections: [], error: null,
      query: { function: 'tvsearch', text: null, imdbId: null, tmdbId: 70523, tvdbId: null, season: 1, episode: 2, categories: [5000] }, ...over,
    });
    openEpisode({
      'GET /api/v1/sources': () => jsonResponse(200, {
        candidates: [], errors: [{ indexer: 'Locked', message: 'the API key was refused: the indexer answered error 100: Incorrect user credentials' }],
        searched: [
          asked({}),
          asked({ indexer: 'Locked', query: { function: 'search', text: 'Dark S01E02', categories: [] }, error: 'the API key was refused: the indexer answered error 100: Incorrect user credentials' }),
        ],
      }),
    });
    const { dialog } = await openDialog();
    expect(await within(dialog).findByText('No releases found for Dark · S01E02.')).toBeInTheDocument();
    const report = within(dialog).getByRole('region', { name: 'Why nothing fits' });
    const lines = within(within(report).getByRole('list', { name: 'Indexers asked' })).getAllByRole('listitem');
    expect(lines.map((l) => l.textContent)).toEqual([
      'Asked Demo indexer (local) for Dark (TMDB 70523, S01E02, category 5000): no releases',
      'Asked Locked for “Dark S01E02”: it failed — the API key was refused: the indexer answered error 100: Incorrect user credentials',
    ]);
    const steps = within(within(report).getByRole('list', { name: 'What you can do' })).getAllByRole('listitem');
    expect(steps.map((s) => s.textContent)).toEqual([
      'An indexer is failing: tell your admin, or search again later.',
      'Your indexers have nothing for this title: ask your admin to add another indexer.',
    ]);
    // A user who is no admin gets no link to the admin pages, and the failure is said once, in the report.
    expect(within(report).queryByRole('link')).toBeNull();
    expect(within(dialog).queryByRole('note', { name: 'Indexer problems' })).toBeNull();
  });

  it('explains a search whose every release was rejected, above the rejects', async () => {
    openEpisode({
      'GET /api/v1/sources': () => jsonResponse(200, {
        candidates: [cam], errors: [],
        searched: [{
          indexer: 'Demo', found: 1, fitting: 0, rejected: 1, error: null,
          rejections: [{ code: 'recording', reason: 'cinema recording or screener', count: 1 }],
          query: { function: 'search', text: 'Dark S01E02', imdbId: null, tmdbId: null, tvdbId: null, season: null, episode: null, categories: [] },
        }],
      }),
    });
    const { dialog } = await openDialog();
    expect(await within(dialog).findByText('Every release found was rejected; see why below.')).toBeInTheDocument();
    const report = within(dialog).getByRole('region', { name: 'Why nothing fits' });
    expect(report).toHaveTextContent('Asked Demo for “Dark S01E02”: 1 release, rejected — 1 cinema recording or screener');
    expect(within(dialog).getByText('1 rejected release')).toBeInTheDocument();
    expect(within(dialog).queryByRole('radio')).toBeNull();
    expect(within(dialog).getByRole('button', { name: 'Get this release' })).toBeDisabled();
  });

  it('pre-selects the release the server ranked first, a single episode above a pack that scores higher', async () => {
    const demoted = { ...pack, score: { ...pack.score, total: 95 }, reasons: ['Season pack: ranked below single-episode releases', ...pack.reasons] };
    openEpisode({ 'GET /api/v1/sources': () => jsonResponse(200, { candidates: [best, demoted], errors: [], searched: [] }) });
    const { dialog } = await openDialog();
    await within(dialog).findByRole('list', { name: 'Releases' });
    expect(radios(dialog).map((r) => [r.getAttribute('aria-label'), r.checked])).toEqual([[best.name, true], [pack.name, false]]);
    const packRow = radios(dialog)[1]!.closest('li')!;
    expect(within(packRow).queryByText('Best match')).toBeNull();
    expect(within(packRow).getByText('Season pack: ranked below single-episode releases')).toBeInTheDocument();
  });

  it('searches a movie by its id alone and asks the server for its best when the release has no infohash', async () => {
    const movie = { id: 11, mediaType: 'movie', title: 'Heat', year: 1995, genres: [], similar: [] };
    const searches: string[] = [];
    const picks: unknown[] = [];
    fakeApi({
      'GET /api/v1/movies/11': () => jsonResponse(200, movie),
      'GET /api/v1/ratings/11': () => jsonResponse(404, { error: { code: 'rating_not_found', message: 'none' } }),
      'GET /api/v1/picks': noHistory,
      'GET /api/v1/sources': (_r, url) => {
        searches.push(url.search);
        return jsonResponse(200, { candidates: [candidate('Heat.1995.1080p.BluRay.x264-GRP', { score: { ...best.score } }), pack], errors: [] });
      },
      'POST /api/v1/picks': async (request) => {
        picks.push(await request.json());
        return jsonResponse(201, { pick: { ...pickOf('Heat.1995.1080p.BluRay.x264-GRP'), mediaId: 11 }, job: { ...job, title: 'Heat' }, reused: false });
      },
    });
    window.history.replaceState(null, '', '/app/movies/11');
    render(() => <App />);
    const user = userEvent.setup();
    await user.click(await screen.findByRole('button', { name: 'Get' }, { timeout: 15_000 }));
    const dialog = await screen.findByRole('dialog', { name: 'Get Heat' });
    await within(dialog).findByRole('list', { name: 'Releases' });
    expect(searches).toEqual(['?mediaId=11']);
    await user.click(within(dialog).getByRole('button', { name: 'Get this release' }));
    await waitFor(() => expect(picks).toEqual([{ mediaId: 11 }]));
  });

  it("shows the unit's current pick and the picks it replaced, above the releases", async () => {
    const minutesAgo = (m: number) => new Date(Date.now() - m * 60_000).toISOString();
    const queries: string[] = [];
    const current = { ...pickOf(best.name), season: 1, episode: 2, infohash: best.infohash, createdAt: minutesAgo(5), score: { score: { total: 88.4 } } };
    const replaced = { ...pickOf(pack.name), id: 'p0', season: 1, episode: 2, reason: 'monitor', createdAt: minutesAgo(600), replacedAt: minutesAgo(5), replacedBy: 'p1' };
    const otherProfile = { ...pickOf('Dark.S01E02.2160p.WEB-DL-X'), id: 'p2', profileHash: 'fedcba9876543210', reason: 'chosen' };
    openEpisode({
      'GET /api/v1/picks': (_r, url) => {
        queries.push(url.search);
        return jsonResponse(200, { current, trail: [replaced, otherProfile] });
      },
    });
    const { user, dialog } = await openDialog();
    const section = await within(dialog).findByRole('region', { name: 'Pick history' });
    expect(await within(section).findByText(best.name)).toBeInTheDocument();
    expect(queries).toEqual(['?mediaId=5&season=1&episode=2']);
    expect(section).toHaveTextContent('Demo · best match · 88 points · picked 5 minutes ago');

    await user.click(within(section).getByText('2 earlier picks'));
    const earlier = within(section).getAllByRole('listitem');
    expect(earlier[0]).toHaveTextContent(`${pack.name}Demo · got automatically · replaced 5 minutes ago`);
    expect(earlier[1]).toHaveTextContent('Dark.S01E02.2160p.WEB-DL-XDemo · chosen by you · under another quality profile');
  });

  it('says when nothing was picked yet, and when the history cannot be read (with a retry) without hiding the releases', async () => {
    let fail = true;
    openEpisode({
      'GET /api/v1/picks': () =>
        fail ? jsonResponse(503, { error: { code: 'unavailable', message: 'Database is restarting' } }) : noHistory(),
    });
    const { user, dialog } = await openDialog();
    const section = await within(dialog).findByRole('region', { name: 'Pick history' });
    expect(await within(section).findByRole('alert')).toHaveTextContent("Couldn't load the pick history");
    await within(dialog).findByRole('list', { name: 'Releases' });
    fail = false;
    await user.click(within(section).getByRole('button', { name: 'Try again' }));
    expect(await within(section).findByText('Nothing picked yet.')).toBeInTheDocument();
  });
});
