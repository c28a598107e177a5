import TvMinimalPlay from 'lucide-solid/icons/tv-minimal-play';
import { For } from 'solid-js';
import { channelKeys, listChannels, type Channel } from '../api/channels';
import { createApiQuery, setQueryData, type ApiQuery } from '../api/queryClient';
import { ChannelCard, ChannelGridSkeleton } from '../components/channels/ChannelCard';
import { FollowChannelForm } from '../components/channels/FollowChannelForm';
import { channelHref } from '../components/channels/videoState';
import { EmptyState } from '../components/ui/EmptyState';
import { LoadingLabel } from '../components/ui/Skeleton';
import { Page, Section } from '../components/ui/Page';
import { QueryView } from '../components/ui/QueryView';
import { showToast } from '../stores/toasts';

/** /app/channels — the YouTube channels you follow, and the form to follow another. */
export default function ChannelsPage() {
  const channels = createApiQuery(() => ({ queryKey: channelKeys.list(), queryFn: listChannels }));

  // Following again answers the same channel (its keepNewest changed): replace it instead of listing it twice.
  const followed = (channel: Channel) => {
    setQueryData<Channel[]>(channelKeys.list(), (list) => [channel, ...(list ?? []).filter((c) => c.id !== channel.id)]);
    showToast({ tone: 'success', title: `Following ${channel.title}`, body: 'Its new videos come to your dashboard and calendar.', link: { href: channelHref(channel.id), label: 'Open channel' } });
  };

  return <ChannelsView channels={channels} onFollowed={followed} />;
}

/** The page as shown: the follow form, then the followed channels (loading, error, empty or the grid). */
function ChannelsView(props: { channels: ApiQuery<Channel[]>; onFollowed: (channel: Channel) => void }) {
  return (
    <Page title="Channels" description="YouTube channels you follow: new videos land on your dashboard and calendar, and Get brings one into your library.">
      <FollowChannelForm onFollowed={props.onFollowed} />
      <Section id="followed-channels" title="Following">
        <QueryView
          query={props.channels}
          loading={<><LoadingLabel label="Loading your channels…" /><ChannelGridSkeleton /></>}
          errorTitle="Couldn't load your channels"
          isEmpty={(list) => list.length === 0}
          empty={
            <EmptyState
              level={3}
              icon={TvMinimalPlay}
              title="No channels yet"
              body="Follow a YouTube channel with its link or @handle above. /seen/ reads its feed every so often: new videos show up on your dashboard and calendar, and you can Get any of them into your library to watch here, or keep the newest few downloaded automatically."
            />
          }
        >
          {(list) => (
            <ul aria-label="Channels you follow" class="grid gap-3 sm:grid-cols-2 xl:grid-cols-3">
              <For each={list()}>{(channel) => <ChannelCard channel={channel} />}</For>
            </ul>
          )}
        </QueryView>
      </Section>
    </Page>
  );
}
