import { useNavigate, useParams } from '@solidjs/router';
import Clapperboard from 'lucide-solid/icons/clapperboard';
import { createSignal, For } from 'solid-js';
import {
  channelKeys,
  fetchChannel,
  fetchChannelVideos,
  unfollowChannel,
  updateChannel,
  type Channel,
  type VideoPage,
} from '../api/channels';
import { toApiError } from '../api/client';
import { createApiQuery, queryClient, setQueryData, type ApiQuery } from '../api/queryClient';
import { VIDEO_GRID, VideoGridSkeleton } from '../components/channels/ChannelCard';
import { ChannelHeader } from '../components/channels/ChannelHeader';
import { VideoCard } from '../components/channels/VideoCard';
import { createVideoList } from '../components/channels/videoList';
import { CHANNELS_HREF, pollWhileGetting } from '../components/channels/videoState';
import { DetailFrame } from '../components/detail/DetailFrame';
import { EmptyState } from '../components/ui/EmptyState';
import { LoadMore } from '../components/ui/LoadMore';
import { Section } from '../components/ui/Page';
import { QueryView } from '../components/ui/QueryView';
import { LoadingLabel } from '../components/ui/Skeleton';
import { showToast } from '../stores/toasts';

const PAGE = 24;
/** The API's largest page: polling refetches everything loaded so far in one request, up to this. */
const MAX_LIMIT = 100;

/** /app/channels/:id — a followed channel: its head (keep newest, unfollow) and its videos, newest first. */
export default function ChannelDetailPage() {
  const params = useParams<{ id: string }>();
  const navigate = useNavigate();
  const channel = createApiQuery(() => {
    const id = params.id;
    return { queryKey: channelKeys.detail(id), queryFn: () => fetchChannel(id) };
  });
  const videos = useVideos(() => params.id);

  const saveKeepNewest = async (keepNewest: number) => {
    try {
      const saved = await updateChannel(params.id, { keepNewest });
      setQueryData<Channel>(channelKeys.detail(params.id), () => saved);
      void queryClient.invalidateQueries({ queryKey: channelKeys.list() });
      showToast({ tone: 'success', title: keepNewest ? `Keeping the newest ${keepNewest} downloaded` : 'Only what you Get is downloaded', body: saved.title });
      return true;
    } catch (error) {
      showToast({ tone: 'error', title: "Couldn't save how many to keep", body: toApiError(error).message });
      return false;
    }
  };

  const unfollow = async () => {
    const title = channel.data?.title;
    try {
      await unfollowChannel(params.id);
      setQueryData<Channel[]>(channelKeys.list(), (list) => list?.filter((c) => c.id !== params.id));
      showToast({ tone: 'success', title: 'Unfollowed', body: title });
      navigate(CHANNELS_HREF, { replace: true });
    } catch (error) {
      showToast({ tone: 'error', title: "Couldn't unfollow the channel", body: toApiError(error).message });
    }
  };

  return (
    <DetailFrame query={channel} noun="channel" backHref={CHANNELS_HREF}>
      {(c) => (
        <>
          <ChannelHeader channel={c} onKeepNewest={saveKeepNewest} onUnfollow={unfollow} />
          <VideosSection videos={videos.query} loadingMore={videos.loadingMore()} onLoadMore={() => void videos.loadMore()} />
        </>
      )}
    </DetailFrame>
  );
}

/**
 * The channel's videos: the first page, "Load more" after it, and a poll while a Get is under way (it
 * refetches everything loaded, so the download's state moves on to playable without a reload).
 */
function useVideos(id: () => string) {
  const [limit, setLimit] = createSignal(PAGE);
  const [loadingMore, setLoadingMore] = createSignal(false);
  const query = createApiQuery(() => {
    const channelId = id();
    return {
      queryKey: channelKeys.videos(channelId),
      queryFn: () => fetchChannelVideos(channelId, { limit: Math.min(MAX_LIMIT, limit()) }),
      refetchInterval: pollWhileGetting<VideoPage>((page) => page.items),
    };
  });

  const loadMore = async () => {
    const current = query.data;
    if (!current?.nextCursor) return;
    setLoadingMore(true);
    try {
      const page = await fetchChannelVideos(id(), { limit: PAGE, cursor: current.nextCursor });
      setLimit((n) => n + PAGE);
      setQueryData<VideoPage>(channelKeys.videos(id()), () => ({ items: [...current.items, ...page.items], nextCursor: page.nextCursor }));
    } catch (error) {
      showToast({ tone: 'error', title: "Couldn't load more videos", body: toApiError(error).message });
    } finally {
      setLoadingMore(false);
    }
  };

  return { query, loadingMore, loadMore };
}

function VideosSection(props: { videos: ApiQuery<VideoPage>; loadingMore: boolean; onLoadMore: () => void }) {
  const videos = createVideoList(() => props.videos.data?.items ?? []);
  return (
    <Section id="videos" title="Videos">
      <QueryView
        query={props.videos}
        loading={<><LoadingLabel label="Loading videos…" /><VideoGridSkeleton /></>}
        errorTitle="Couldn't load the videos"
        isEmpty={(page) => page.items.length === 0}
        empty={
          <EmptyState
            level={3}
            icon={Clapperboard}
            title="No videos yet"
            body="/seen/ reads the channel's feed every so often; its videos show up here as soon as it has some."
          />
        }
      >
        {(page) => (
          <>
            <ul aria-label="Videos" class={VIDEO_GRID}>
              <For each={page().items.length ? videos : []}>{(video) => <li><VideoCard video={video} /></li>}</For>
            </ul>
            <LoadMore when={page().nextCursor} loading={props.loadingMore} onLoad={props.onLoadMore} class="mt-10" />
          </>
        )}
      </QueryView>
    </Section>
  );
}
