/**
 * What a file played from a download saves progress against and what the
 * player calls it: the title its job was picked for (a movie, or the episode a
 * pack's file holds). Jobs added by hand (a pasted magnet) are linked to
 * nothing: no progress then, and the heading reads the release's name.
 */
import { fetchMovie, fetchSeason, type DownloadStream, type ProgressTarget } from '../../api/player';

/** The link of a job to a title, where the API's download or stream answer carries it. */
export interface JobLink {
  mediaId?: number | null;
  season?: number | null;
  episode?: number | null;
  episodeId?: number | null;
}

/** The media, season and episode the playing file stands for; undefined when unknown. */
export function linkOf(stream: DownloadStream & JobLink, job: JobLink | undefined): JobLink | undefined {
  const mediaId = stream.mediaId ?? job?.mediaId;
  if (mediaId == null) return undefined;
  if (stream.episodeId != null) return { mediaId, episodeId: stream.episodeId };
  const file = stream.files?.find((f) => f.index === stream.fileIndex);
  const season = file?.season ?? stream.season ?? job?.season;
  // A pack's job names its season only: the file says which episode it is.
  const episode = file?.episode ?? stream.episode ?? (job?.episode != null && file?.episode == null ? job.episode : null);
  return { mediaId, season, episode };
}

/** What the player's heading says about a linked file: the title, and for an episode its code and name. */
export interface PlayingTitle {
  title: string;
  season?: number | null;
  episode?: number | null;
  episodeTitle?: string | null;
}

/** What a linked file is: the progress target and the title for the heading (each undefined when unknown). */
export interface Playing {
  target?: ProgressTarget;
  heading?: PlayingTitle;
  /** The season's episode names by number (what Up next calls the pack's next file). */
  episodeNames?: Record<number, string>;
}

/**
 * The progress target and heading of a link: a movie as it is; an episode's id looked up in its season (the
 * catalog lists episodes per season, with the show's title). The heading is a nicety: its lookup may fail alone.
 */
export async function resolvePlaying(link: JobLink | undefined): Promise<Playing> {
  if (!link?.mediaId) return {};
  const mediaId = link.mediaId;
  if (link.season == null && link.episodeId == null) {
    const movie = await fetchMovie(mediaId).catch(() => undefined);
    return { target: { mediaId }, heading: movie ? { title: movie.title } : undefined };
  }
  if (link.season == null) return { target: { mediaId, episodeId: link.episodeId } };
  // With the episode's id known, the season only names things: a failed lookup still saves progress.
  const season = await fetchSeason(mediaId, link.season).catch((error: unknown) => {
    if (link.episodeId != null) return undefined;
    throw error;
  });
  if (!season) return { target: { mediaId, episodeId: link.episodeId } };
  const episode = link.episode == null ? undefined : season.episodes?.find((e) => e.episodeNumber === link.episode);
  const episodeId = link.episodeId ?? episode?.id;
  const episodeNames: Record<number, string> = {};
  for (const e of season.episodes ?? []) if (e.name) episodeNames[e.episodeNumber] = e.name;
  return {
    // A file of a pack not known as any episode: nothing to save against.
    target: episodeId != null ? { mediaId, episodeId } : undefined,
    heading: { title: season.showTitle, season: link.season, episode: link.episode, episodeTitle: episode?.name },
    episodeNames,
  };
}
