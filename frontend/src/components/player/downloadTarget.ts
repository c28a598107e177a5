/**
 * What a file played from a download saves progress against: the title its
 * job was picked for (a movie, or the episode a pack's file holds). Jobs
 * added by hand (a pasted magnet) are linked to nothing: no progress then.
 */
import { api, call } from '../../api/client';
import type { DownloadStream, ProgressTarget } from './api';

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

/** The progress target of a link: a movie as it is; an episode's id looked up in its season (the catalog lists episodes per season). */
export async function resolveTarget(link: JobLink | undefined): Promise<ProgressTarget | undefined> {
  if (!link?.mediaId) return undefined;
  if (link.episodeId != null) return { mediaId: link.mediaId, episodeId: link.episodeId };
  if (link.season == null) return { mediaId: link.mediaId };
  if (link.episode == null) return undefined; // a file of a pack not known as any episode: nothing to save against
  const season = await call(
    api.GET('/api/v1/shows/{show_id}/seasons/{season_number}', { params: { path: { show_id: String(link.mediaId), season_number: String(link.season) } } }),
  );
  const episode = season.episodes?.find((e) => e.episodeNumber === link.episode);
  return episode?.id != null ? { mediaId: link.mediaId, episodeId: episode.id } : undefined;
}
