import { describe, expect, it } from 'vitest';
import type { ShowProgress } from '../../api/types';
import { withEpisodeWatched, withSeasonWatched } from './showProgress';

const ep = (id: number, n: number, watched = false, aired = true) => ({
  id, episodeNumber: n, name: null, airDate: null, aired, watched, plays: watched ? 1 : 0, lastWatchedAt: null,
});

const progress: ShowProgress = {
  media: { id: 10, mediaType: 'show', title: 'Dark', year: 2017, posterPath: null },
  aired: 4, watched: 1, percent: 25, completed: false, lastWatchedAt: null, nextEpisode: null,
  seasons: [
    { seasonNumber: 1, aired: 2, watched: 1, completed: false, episodes: [ep(1, 1, true), ep(2, 2)] },
    { seasonNumber: 2, aired: 2, watched: 0, completed: false, episodes: [ep(3, 1), ep(4, 2), ep(5, 3, false, false)] },
  ],
};

describe('show progress edits (optimistic updates)', () => {
  it('marks one episode and keeps season and show counts right', () => {
    const next = withEpisodeWatched(progress, 2, true);
    expect(next.seasons[0]).toMatchObject({ watched: 2, completed: true });
    expect(next).toMatchObject({ watched: 2, percent: 50, completed: false });
    expect(progress.seasons[0]!.watched).toBe(1); // the original is untouched for rollback
  });

  it('is a no-op for an episode already in that state', () => {
    expect(withEpisodeWatched(progress, 1, true)).toMatchObject({ watched: 1, percent: 25 });
  });

  it('marks a season: only aired episodes count', () => {
    const next = withSeasonWatched(progress, 2, true);
    expect(next.seasons[1]!.episodes.map((e) => e.watched)).toEqual([true, true, false]);
    expect(next).toMatchObject({ watched: 3, percent: 75 });
  });

  it('unmarks a season', () => {
    const next = withSeasonWatched(progress, 1, false);
    expect(next.seasons[0]).toMatchObject({ watched: 0, completed: false });
    expect(next.watched).toBe(0);
  });
});
