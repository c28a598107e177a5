import { channelKeys, getVideo, type Video, type VideoPage } from '../../api/channels';
import { toApiError } from '../../api/client';
import { dashboardKeys } from '../../api/dashboard';
import { queryClient } from '../../api/queryClient';
import type { components } from '../../api/schema';
import { markWatched, unmarkWatched } from '../../api/tracking';
import { optimistic } from '../../lib/optimistic';
import { showToast } from '../../stores/toasts';

type Dashboard = components['schemas']['Dashboard'];

/**
 * Changes a video wherever it is cached (every loaded page of a channel's videos and the dashboard's
 * "New from channels"), so a card shows what was just done on any page without waiting for a refetch.
 */
export function patchVideo(mediaId: number, patch: Partial<Video>) {
  const edit = (video: Video) => (video.mediaId === mediaId ? { ...video, ...patch } : video);
  queryClient.setQueriesData<VideoPage>({ queryKey: channelKeys.videosAll }, (page) => page && { ...page, items: page.items.map(edit) });
  queryClient.setQueryData<Dashboard>(dashboardKeys.all, (data) => {
    const row = data?.newFromChannels;
    if (!data || !row?.items) return data;
    return { ...data, newFromChannels: { ...row, items: (row.items as unknown as Video[]).map(edit) as unknown as typeof row.items } };
  });
}

/**
 * Get: starts the download (or is answered with the one already running) and shows its state on the
 * card at once; the lists showing it poll from there until it is in the library.
 */
export async function startGet(video: Video): Promise<void> {
  try {
    const job = await getVideo(video.mediaId);
    patchVideo(video.mediaId, { download: { id: job.id, status: job.status, percent: job.progress } });
    showToast({ tone: 'success', title: 'Getting the video', body: video.title, link: { href: '/app/downloads', label: 'View in Downloads' } });
  } catch (error) {
    showToast({ tone: 'error', title: `Couldn't get “${video.title}”`, body: toApiError(error).message });
  }
}

/** Marks the video watched, or removes every watch of it; shown at once, rolled back if the API refuses. */
export async function setWatched(video: Video, watched: boolean): Promise<void> {
  const failed = await optimistic({
    apply: () => patchVideo(video.mediaId, { watched }),
    commit: () => (watched ? markWatched({ mediaId: video.mediaId }) : unmarkWatched({ mediaId: video.mediaId }, 'all')),
    rollback: () => patchVideo(video.mediaId, { watched: !watched }),
    failure: watched ? `Couldn't mark “${video.title}” watched` : `Couldn't mark “${video.title}” unwatched`,
  });
  if (failed) return;
  if (watched) showToast({ tone: 'success', title: 'Marked watched', body: video.title });
  // A channel's "N new" counts unwatched videos.
  void queryClient.invalidateQueries({ queryKey: channelKeys.list() });
}
