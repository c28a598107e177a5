/** Finding and choosing a release: the ranked sources of a title and the pick that starts its download. */
import { api, call } from '../../api/client';
import type { SourceCandidate } from '../../api/types';
import { episodeCode } from '../library/labels';

/** What is wanted: a movie, a show's season (packs), or one episode. */
export interface GetTarget {
  mediaId: number;
  /** The movie's or show's title, for headings and messages. */
  title: string;
  season?: number | null;
  episode?: number | null;
}

/** "Heat", "Breaking Bad · Season 1", "Breaking Bad · S01E02". */
export function targetLabel(target: GetTarget): string {
  if (target.season == null) return target.title;
  if (target.episode == null) return `${target.title} · Season ${target.season}`;
  return `${target.title} · ${episodeCode(target.season, target.episode)}`;
}

const where = (target: GetTarget) => ({
  mediaId: target.mediaId,
  ...(target.season != null ? { season: target.season } : {}),
  ...(target.season != null && target.episode != null ? { episode: target.episode } : {}),
});

/** The ranked releases; `fresh` skips the server's short-lived search cache (asks the indexers again). */
export const fetchSources = (target: GetTarget, fresh = false) =>
  call(api.GET('/api/v1/sources', { params: { query: { ...where(target), ...(fresh ? { fresh: true } : {}) } } }));

/** Picks a release (its infohash), or the server's best when the release has no infohash yet (.torrent link). */
export const postPick = (target: GetTarget, candidate: Pick<SourceCandidate, 'infohash'>) =>
  call(api.POST('/api/v1/picks', { body: { ...where(target), ...(candidate.infohash ? { infohash: candidate.infohash } : {}) } }));

/** The unit's current pick (under the user's quality profile) and the audit trail, newest first. */
export const fetchPickHistory = (target: GetTarget) => call(api.GET('/api/v1/picks', { params: { query: where(target) } }));
export type PickHistory = Awaited<ReturnType<typeof fetchPickHistory>>;
export type PickRecord = NonNullable<PickHistory['current']>;
