import type { QueryState } from '@tanstack/solid-query';
import type { Video } from '../../api/channels';
import { pollEvery } from '../../api/queryClient';
import type { DownloadStatus } from '../../api/types';
import { isActive, POLL_MS, STATUS_LABEL } from '../downloads/status';

/**
 * Where a video stands between YouTube and your library:
 * - `none`: never got (or only on YouTube),
 * - `active`: its download is queued or running,
 * - `filing`: downloaded, not yet in the library (the scan files it as the video's title),
 * - `ready`: in the library, playable,
 * - `stopped`: the last Get failed or was cancelled (Get starts a new one).
 */
export type VideoPhase = 'none' | 'active' | 'filing' | 'ready' | 'stopped';

const known = (status: string): status is DownloadStatus => status in STATUS_LABEL;

export function videoPhase(video: Pick<Video, 'libraryItemId' | 'download'>): VideoPhase {
  if (video.libraryItemId) return 'ready';
  const status = video.download?.status;
  if (!status) return 'none';
  if (status === 'completed') return 'filing';
  if (status === 'failed' || status === 'cancelled') return 'stopped';
  // A status this SPA does not know yet is still a download on its way.
  return !known(status) || isActive(status) ? 'active' : 'stopped';
}

/** "Downloading 42%", "Queued", "Adding to your library…", "Failed"; undefined when there is nothing to say. */
export function downloadText(video: Pick<Video, 'libraryItemId' | 'download'>): string | undefined {
  const download = video.download;
  switch (videoPhase(video)) {
    case 'ready':
      return 'In your library';
    case 'filing':
      return 'Adding to your library…';
    case 'active': {
      const label = known(download!.status) ? STATUS_LABEL[download!.status] : 'Getting';
      const percent = Math.round(Math.max(0, Math.min(100, download!.percent)));
      return download!.status === 'queued' || percent === 0 ? label : `${label} ${percent}%`;
    }
    case 'stopped':
      return known(download!.status) ? STATUS_LABEL[download!.status] : 'Stopped';
    default:
      return undefined;
  }
}

/** How far into the video you are, 0–100; undefined without a known duration. */
export function watchPercent(video: Pick<Video, 'progress'>): number | undefined {
  const progress = video.progress;
  if (!progress?.durationSeconds || progress.durationSeconds <= 0) return undefined;
  return Math.round(Math.min(100, Math.max(0, (progress.positionSeconds / progress.durationSeconds) * 100)));
}

/** While a Get runs the list is asked again every few seconds; once downloaded, less often until it is filed. */
export const FILING_POLL_MS = 10_000;

/** The refetch interval a list of videos needs: false once nothing is on its way. */
export function videoPollMs(videos: readonly Pick<Video, 'libraryItemId' | 'download'>[]): number | false {
  const phases = videos.map(videoPhase);
  if (phases.includes('active')) return POLL_MS;
  return phases.includes('filing') ? FILING_POLL_MS : false;
}

/**
 * A query's `refetchInterval` while one of the videos in its data is on its way to the library (a Get
 * under way, or downloaded and not yet filed); backs off while the API fails, stops once none is.
 */
export function pollWhileGetting<T>(videosOf: (data: T) => readonly Video[]) {
  return (query: { state: Pick<QueryState<T>, 'data' | 'status' | 'errorUpdatedAt' | 'dataUpdatedAt'> }): number | false => {
    const data = query.state.data;
    const ms = data === undefined ? false : videoPollMs(videosOf(data));
    return ms === false ? false : pollEvery(ms)(query);
  };
}

const compact = new Intl.NumberFormat(undefined, { notation: 'compact', maximumFractionDigits: 1 });

/** 1 -> "1 view", 12_400 -> "12.4K views"; undefined when YouTube did not say. */
export function viewsLabel(views: number | null | undefined): string | undefined {
  if (views == null || !Number.isFinite(views) || views < 0) return undefined;
  return views === 1 ? '1 view' : `${compact.format(views)} views`;
}

export const channelHref = (id: string) => `/app/channels/${id}`;
export const CHANNELS_HREF = '/app/channels';
