import type { ShowProgress } from '../../api/types';

/** A copy of a show's progress with one episode's watched flag changed and the counts kept right. */
export function withEpisodeWatched(progress: ShowProgress, episodeId: number, watched: boolean): ShowProgress {
  let delta = 0;
  const seasons = progress.seasons.map((season) => {
    let seasonDelta = 0;
    const episodes = season.episodes.map((episode) => {
      if (episode.id !== episodeId || episode.watched === watched) return episode;
      seasonDelta += watched ? 1 : -1;
      return { ...episode, watched, plays: watched ? Math.max(1, episode.plays) : 0 };
    });
    if (!seasonDelta) return season;
    delta += seasonDelta;
    const seasonWatched = season.watched + seasonDelta;
    return { ...season, episodes, watched: seasonWatched, completed: season.aired > 0 && seasonWatched >= season.aired };
  });
  return recount({ ...progress, seasons }, delta);
}

/** A copy with every aired episode of one season marked (or unmarked). */
export function withSeasonWatched(progress: ShowProgress, seasonNumber: number, watched: boolean): ShowProgress {
  let delta = 0;
  const seasons = progress.seasons.map((season) => {
    if (season.seasonNumber !== seasonNumber) return season;
    const episodes = season.episodes.map((episode) => {
      if (!episode.aired || episode.watched === watched) return episode;
      delta += watched ? 1 : -1;
      return { ...episode, watched, plays: watched ? Math.max(1, episode.plays) : 0 };
    });
    const count = episodes.filter((e) => e.watched && e.aired).length;
    return { ...season, episodes, watched: count, completed: season.aired > 0 && count >= season.aired };
  });
  return recount({ ...progress, seasons }, delta);
}

function recount(progress: ShowProgress, delta: number): ShowProgress {
  const watched = Math.max(0, progress.watched + delta);
  const percent = progress.aired ? Math.round((watched / progress.aired) * 1000) / 10 : 0;
  return { ...progress, watched, percent, completed: progress.aired > 0 && watched >= progress.aired };
}
