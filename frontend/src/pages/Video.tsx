import { A, useParams } from '@solidjs/router';
import { Show } from 'solid-js';
import { channelKeys, fetchVideo, type VideoPage } from '../api/channels';
import { createApiQuery } from '../api/queryClient';
import { VideoCard } from '../components/channels/VideoCard';
import { pollWhileGetting } from '../components/channels/videoState';
import { Page } from '../components/ui/Page';
import { QueryView } from '../components/ui/QueryView';
import { LoadingLabel } from '../components/ui/Skeleton';

/**
 * /app/videos/:id — one video of a channel you follow, where a history or watch-later link to it lands: the
 * card with its actions (Play, Get, watched, watch later), the description, and the way to its channel.
 */
export default function VideoPage() {
  const params = useParams<{ id: string }>();
  // Kept as a one-item page under the channels' video cache, so Get and watched on the card show here at once.
  const video = createApiQuery(() => {
    const id = params.id;
    return {
      queryKey: channelKeys.video(id),
      queryFn: async (): Promise<VideoPage> => ({ items: [await fetchVideo(id)], nextCursor: null }),
      refetchInterval: pollWhileGetting<VideoPage>((page) => page.items),
    };
  });
  return (
    <QueryView query={video} loading={<LoadingLabel label="Loading the video" />} errorTitle="This video is not here">
      {(page) => (
        <Show when={page().items[0]}>
          {(one) => (
            <Page title={one().title} description={`A video of ${one().channelTitle}, a channel you follow`}
              actions={<A class="text-sm font-medium text-accent-ink hover:underline" href={`/app/channels/${one().channelId}`}>
                All videos of {one().channelTitle}
              </A>}>
              <div class="grid gap-8 lg:grid-cols-[minmax(0,28rem)_1fr]">
                <VideoCard video={one()} showChannel />
                <Show when={one().description}>
                  <p class="whitespace-pre-line text-sm leading-relaxed text-ink-muted">{one().description}</p>
                </Show>
              </div>
            </Page>
          )}
        </Show>
      )}
    </QueryView>
  );
}
