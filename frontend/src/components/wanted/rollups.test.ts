import { describe, expect, it } from 'vitest';
import type { WantedGroup, WantedItem, WantedPage } from '../../api/types';
import { pageWithAutoGet, pageWithout, rollupLabel } from './rollups';

const item = (id: string, done: boolean): WantedItem => ({ id, mediaId: 5, done, createdAt: '2026-11-20T10:00:00Z', attempts: 0 });
const show: WantedGroup = {
  mediaId: 5, mediaType: 'show', title: 'Dark', wanted: 2, done: 1,
  seasons: [{ season: 1, wanted: 1, done: 1, episodes: [item('a', true), item('b', false)] }, { season: 2, wanted: 1, done: 0, episodes: [item('c', false)] }],
};
const movie: WantedGroup = { mediaId: 11, mediaType: 'movie', title: 'Heat', wanted: 1, done: 0, item: item('m', false), seasons: [] };
const page: WantedPage = { items: [show, movie], page: 1, pageSize: 20, total: 2 };

describe('wanted roll-ups', () => {
  it('recounts a season and its show when an episode goes', () => {
    const after = pageWithout(page, 'b');
    expect(after.items[0]).toMatchObject({ wanted: 1, done: 1, seasons: [{ season: 1, wanted: 0, done: 1 }, { season: 2, wanted: 1, done: 0 }] });
    expect(after.total).toBe(2);
    expect(page.items[0]!.seasons![0]!.episodes).toHaveLength(2); // the original is left as it was (rollback)
  });

  it('drops an emptied season, an emptied show and a removed movie, and the total with them', () => {
    expect(pageWithout(page, 'c').items[0]!.seasons!.map((s) => s.season)).toEqual([1]);
    const noMovie = pageWithout(page, 'm');
    expect([noMovie.items.map((g) => g.title), noMovie.total]).toEqual([['Dark'], 1]);
    const noShow = ['a', 'b', 'c'].reduce(pageWithout, page);
    expect([noShow.items.map((g) => g.title), noShow.total]).toEqual([['Heat'], 1]);
  });

  it('leaves the page alone for an unknown id', () => {
    expect(pageWithout(page, 'zzz')).toEqual(page);
  });

  it('switches auto-get on one show, creating its monitor when it had none', () => {
    expect(pageWithAutoGet(page, 5, true).items[0]!.monitor).toEqual({ mediaId: 5, autoGet: true });
    expect(pageWithAutoGet(page, 5, true).items[1]).toBe(movie);
  });

  it('labels done out of wanted + done', () => {
    expect([rollupLabel({ wanted: 2, done: 1 }), rollupLabel({ wanted: 0, done: 3 }), rollupLabel({ wanted: 4, done: 0 })])
      .toEqual(['1 of 3 done', 'All 3 done', '0 of 4 done']);
  });
});
