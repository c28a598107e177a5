import { render, screen, waitFor, within } from '@solidjs/testing-library';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import App from '../../App';
import { resetSessionForTests } from '../../stores/session';
import { clearToasts } from '../../stores/toasts';
import { clearSessionCookie, fakeApi, jsonResponse } from '../../test/fakes';

const show = {
  id: 5, mediaType: 'show', title: 'Dark', year: 2017, genres: [], similar: [],
  seasons: [{ seasonNumber: 1, name: 'Season 1', episodeCount: 3 }],
};
const season = {
  showId: 5, showTitle: 'Dark', seasonNumber: 1,
  episodes: [{ episodeNumber: 1, name: 'Secrets' }, { episodeNumber: 2, name: 'Lies' }, { episodeNumber: 3, name: '' }],
};
const episode = (n: number, aired: boolean) => ({
  id: 100 + n, episodeNumber: n, name: null, airDate: null, aired, watched: false, plays: 0, lastWatchedAt: null,
});
// Episode 3 has not aired yet: nothing to get.
const progress = {
  media: { id: 5, mediaType: 'show', title: 'Dark', year: 2017, posterPath: null },
  aired: 2, watched: 0, percent: 0, completed: false, lastWatchedAt: null, nextEpisode: null,
  seasons: [{ seasonNumber: 1, aired: 2, watched: 0, completed: false, episodes: [episode(1, true), episode(2, true), episode(3, false)] }],
};

function openShow(seasonBody: object = season) {
  const searches: string[] = [];
  fakeApi({
    'GET /api/v1/shows/5': () => jsonResponse(200, show),
    'GET /api/v1/shows/5/seasons/1': () => jsonResponse(200, seasonBody),
    'GET /api/v1/shows/5/progress': () => jsonResponse(200, progress),
    'GET /api/v1/ratings/5': () => jsonResponse(404, { error: { code: 'rating_not_found', message: 'none' } }),
    'GET /api/v1/picks': () => jsonResponse(200, { current: null, trail: [] }),
    'GET /api/v1/sources': (_r, url) => {
      searches.push(url.search);
      return jsonResponse(200, { candidates: [], errors: [] });
    },
  });
  window.history.replaceState(null, '', '/app/shows/5');
  render(() => <App />);
  return searches;
}

beforeAll(() => Promise.all([import('../../pages/detail/ShowDetail'), import('../../pages/detail/EpisodeDetail')]), 60_000);
beforeEach(() => resetSessionForTests());
afterEach(() => {
  clearSessionCookie();
  clearToasts();
});

describe('season episodes on the show page', { timeout: 20_000 }, () => {
  it("links each episode's name to its page", async () => {
    openShow();
    const list = await screen.findByRole('list', { name: 'Season 1 episodes' }, { timeout: 15_000 });
    const links = within(list).getAllByRole('link');
    expect(links.map((a) => [a.textContent, a.getAttribute('href')])).toEqual([
      ['Secrets', '/app/shows/5/season/1/episode/1'],
      ['Lies', '/app/shows/5/season/1/episode/2'],
      ['Episode 3', '/app/shows/5/season/1/episode/3'],
    ]);
    await userEvent.setup().click(links[1]!);
    expect(await screen.findByRole('heading', { level: 1, name: 'Lies' })).toBeInTheDocument();
    expect(window.location.pathname).toBe('/app/shows/5/season/1/episode/2');
  });

  it('gets one aired episode from its row with a compact, keyboard-reachable button', async () => {
    const searches = openShow();
    const list = await screen.findByRole('list', { name: 'Season 1 episodes' }, { timeout: 15_000 });
    const gets = within(list).getAllByRole('button', { name: /^Get S01E0\d$/ });
    expect(gets.map((b) => b.getAttribute('aria-label'))).toEqual(['Get S01E01', 'Get S01E02']);
    expect(gets[1]).toHaveTextContent(''); // an icon: the name is its label, not visible text

    const user = userEvent.setup();
    gets[1]!.focus();
    await user.keyboard('{Enter}');
    const dialog = await screen.findByRole('dialog', { name: 'Get Dark · S01E02' });
    expect(await within(dialog).findByText('No releases found for Dark · S01E02.')).toBeInTheDocument();
    await waitFor(() => expect(searches).toEqual(['?mediaId=5&season=1&episode=2']));
  });

  it('marks the episodes a media server holds with a chip that opens them there', async () => {
    const openUrl = 'http://jellyfin.lan:8096/web/index.html#!/details?id=ep1';
    const owned = [{ serverId: 'm1', serverName: 'Living room', kind: 'jellyfin', itemId: 'ep1', openUrl, playable: true }];
    openShow({ ...season, episodes: [{ ...season.episodes[0], owned }, { ...season.episodes[1], owned: [] }, season.episodes[2]] });
    const list = await screen.findByRole('list', { name: 'Season 1 episodes' }, { timeout: 15_000 });
    const chips = within(list).getAllByTestId('owned-chip');
    expect(chips).toHaveLength(1);
    const chip = within(list).getByRole('link', { name: 'S01E01 on Jellyfin' });
    expect(chip).toBe(chips[0]);
    expect(chip).toHaveTextContent('On Jellyfin');
    expect(chip).toHaveAttribute('href', openUrl);
    expect(chip).toHaveAttribute('target', '_blank');
    expect(chip).toHaveAttribute('rel', 'noopener noreferrer');
    expect(within(list).getAllByRole('listitem')[0]).toContainElement(chip);
  });
});
