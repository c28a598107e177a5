/** Finding and choosing a release: the ranked sources of a title and the picks that start its download. */
import { api, call } from './client';
import type { components } from './schema';
import type { SourceCandidate } from './types';

type DeviceCaps = components['schemas']['DeviceCaps'];

/** What is wanted: a movie, a show's season (packs), or one episode. */
export interface GetTarget {
  mediaId: number;
  /** The movie's or show's title, for headings and messages. */
  title: string;
  season?: number | null;
  episode?: number | null;
}

const where = (target: GetTarget) => ({
  mediaId: target.mediaId,
  ...(target.season != null ? { season: target.season } : {}),
  ...(target.season != null && target.episode != null ? { episode: target.episode } : {}),
});

export const sourceKeys = {
  candidates: (target: GetTarget, fresh: boolean) => ['sources', where(target), fresh] as const,
  picks: (target: GetTarget) => ['picks', where(target)] as const,
};

/** The device's codecs as the search's query parameters (repeated `video`/`audio`; HDR and lines when known). */
const deviceQuery = (caps: DeviceCaps | undefined) => (caps ? {
  video: caps.video, audio: caps.audio, ...(caps.hdr ? { hdr: true } : {}), ...(caps.maxHeight ? { maxHeight: caps.maxHeight } : {}),
} : {});

/**
 * The ranked releases; `fresh` skips the server's short-lived search cache (asks the indexers again);
 * `deviceCaps` ranks what this device cannot decode below what it plays.
 */
export const fetchSources = (target: GetTarget, fresh = false, deviceCaps?: DeviceCaps) =>
  call(api.GET('/api/v1/sources', { params: { query: { ...where(target), ...(fresh ? { fresh: true } : {}), ...deviceQuery(deviceCaps) } } }));

/**
 * Picks a release (its infohash), or the server's best when the release has no infohash yet (.torrent link);
 * `deviceCaps` (what this device decodes) ranks for the device and keeps the pick per device.
 */
export const postPick = (target: GetTarget, candidate: Pick<SourceCandidate, 'infohash'>, deviceCaps?: DeviceCaps) =>
  call(api.POST('/api/v1/picks', {
    body: { ...where(target), ...(candidate.infohash ? { infohash: candidate.infohash } : {}), ...(deviceCaps ? { deviceCaps } : {}) },
  }));

/** The unit's current pick (under the user's quality profile) and the audit trail, newest first. */
export const fetchPickHistory = (target: GetTarget) => call(api.GET('/api/v1/picks', { params: { query: where(target) } }));
export type PickHistory = Awaited<ReturnType<typeof fetchPickHistory>>;
export type PickRecord = NonNullable<PickHistory['current']>;
