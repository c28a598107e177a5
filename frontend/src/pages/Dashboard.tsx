import Bookmark from 'lucide-solid/icons/bookmark';
import CalendarDays from 'lucide-solid/icons/calendar-days';
import Download from 'lucide-solid/icons/download';
import Flame from 'lucide-solid/icons/flame';
import Gamepad2 from 'lucide-solid/icons/gamepad-2';
import History from 'lucide-solid/icons/rotate-ccw-clock';
import Joystick from 'lucide-solid/icons/joystick';
import Play from 'lucide-solid/icons/play';
import Sparkles from 'lucide-solid/icons/sparkles';
import TvMinimalPlay from 'lucide-solid/icons/tv-minimal-play';
import UsersRound from 'lucide-solid/icons/users-round';
import { createMemo, For, Show, type JSX } from 'solid-js';
import { dashboardKeys, fetchDashboard } from '../api/dashboard';
import { createApiQuery, type ApiQuery } from '../api/queryClient';
import { VideoCard } from '../components/channels/VideoCard';
import { createVideoList } from '../components/channels/videoList';
import { CHANNELS_HREF, pollWhileGetting } from '../components/channels/videoState';
import { BacklogCard, ContinueCard, HistoryCard, ReleaseCard } from '../components/dashboard/cards';
import { DownloadsWidget } from '../components/dashboard/DownloadsWidget';
import { groupReleases } from '../components/dashboard/releases';
import { peopleLine, widgetFailed, widgetItems, type DashboardData, type WidgetItems, type WidgetKey } from '../components/dashboard/widgets';
import { CardRow, WidgetSection, type WidgetEmpty, type WidgetState } from '../components/dashboard/WidgetSection';
import { todayIso } from '../components/calendar/dates';
import { ServiceHealth } from '../components/health/ServiceHealth';
import { PosterCard } from '../components/media/PosterCard';
import { PartBoundary } from '../components/ui/ErrorBoundary';
import { ErrorState } from '../components/ui/ErrorState';
import { Page, Section } from '../components/ui/Page';
import { ListSkeleton } from '../components/ui/Skeleton';
import { useSession } from '../stores/session';

function greeting(): string {
  const hour = new Date().getHours();
  return hour < 5 ? 'Good night' : hour < 12 ? 'Good morning' : hour < 18 ? 'Good afternoon' : 'Good evening';
}

interface WidgetSpec<K extends WidgetKey> {
  key: K;
  id: string;
  title: string;
  empty: WidgetEmpty;
  seeAllHref?: string;
  wide?: boolean;
  card: (item: WidgetItems[K]) => JSX.Element;
}

/** One widget's state, read from the single dashboard query. */
function widgetState(query: ApiQuery<DashboardData>, key: WidgetKey): WidgetState {
  const data = query.data;
  if (!data) return query.error && !query.isFetching ? 'failed' : 'loading';
  if (widgetFailed(data, key)) return 'degraded';
  return widgetItems(data, key).length ? 'ready' : 'empty';
}

const itemsOf = <K extends WidgetKey>(query: ApiQuery<DashboardData>, key: K): WidgetItems[K][] => {
  const data = query.data;
  return data ? widgetItems(data, key) : [];
};

/** Renders one widget of the shared dashboard query, in whichever state it is. */
function Widget<K extends WidgetKey>(props: { query: ApiQuery<DashboardData>; spec: WidgetSpec<K> }) {
  return (
    <WidgetSection
      id={props.spec.id}
      title={props.spec.title}
      state={widgetState(props.query, props.spec.key)}
      empty={props.spec.empty}
      seeAllHref={props.spec.seeAllHref}
      onRetry={() => props.query.refetch()}
    >
      <CardRow label={props.spec.title} wide={props.spec.wide}>
        <For each={itemsOf(props.query, props.spec.key)}>{(item) => <li>{props.spec.card(item)}</li>}</For>
      </CardRow>
    </WidgetSection>
  );
}

const continueSpec: WidgetSpec<'continueWatching'> = {
  key: 'continueWatching', id: 'continue-watching', title: 'Continue watching', wide: true,
  empty: { icon: Play, text: 'Nothing in progress. Start something from your library and it waits here, right where you stopped.', actionLabel: 'Open library', actionHref: '/app/library' },
  card: (item) => <ContinueCard item={item} />,
};

const rows: WidgetSpec<WidgetKey>[] = [
  {
    key: 'recommendations', id: 'recommended', title: 'Recommended for you', seeAllHref: '/app/recommendations',
    empty: { icon: Sparkles, text: 'No picks yet. Watch and rate a few titles and recommendations follow.', actionLabel: 'Explore Discover', actionHref: '/app/discover' },
    card: (rec: WidgetItems['recommendations']) => <PosterCard title={rec.media} subtitle={rec.reasons[0]?.text ?? rec.media.year ?? '—'} />,
  },
  {
    key: 'watchLater', id: 'watch-later', title: 'Watch later', seeAllHref: '/app/watch-later',
    empty: { icon: Bookmark, text: 'Your queue is empty. Bookmark titles as you browse and they line up here.', actionLabel: 'Explore Discover', actionHref: '/app/discover' },
    card: (item: WidgetItems['watchLater']) => <PosterCard title={item.media} showType />,
  },
  {
    key: 'trending', id: 'trending', title: 'Trending', seeAllHref: '/app/discover',
    empty: { icon: Flame, text: 'Nothing trending yet: the catalog fills in after its first sync.', actionLabel: 'Browse movies', actionHref: '/app/movies' },
    card: (title: WidgetItems['trending']) => <PosterCard title={title} showType />,
  },
  {
    key: 'gameBacklog', id: 'game-backlog', title: 'Game backlog', seeAllHref: '/app/games',
    empty: { icon: Gamepad2, text: 'No games on your backlog. Mark a game as playing or wishlist it from its page.', actionLabel: 'Browse games', actionHref: '/app/games' },
    card: (entry: WidgetItems['gameBacklog']) => <BacklogCard entry={entry} />,
  },
  {
    key: 'recentlyPlayedGames', id: 'recently-played', title: 'Recently played',
    empty: { icon: Joystick, text: 'Log play time on a game and your recent sessions show up here.', actionLabel: 'Browse games', actionHref: '/app/games' },
    card: (entry: WidgetItems['recentlyPlayedGames']) => <BacklogCard entry={entry} played />,
  },
  {
    key: 'recentlyWatched', id: 'recently-watched', title: 'Recently watched', seeAllHref: '/app/watched',
    empty: { icon: History, text: 'Nothing watched yet. Mark a movie or an episode watched to start your history.', actionLabel: 'Browse shows', actionHref: '/app/shows' },
    card: (entry: WidgetItems['recentlyWatched']) => <HistoryCard entry={entry} />,
  },
] as WidgetSpec<WidgetKey>[];

/** Upcoming releases: one card per title, a multi-platform game listing its platforms. */
function ReleasesSection(props: { query: ApiQuery<DashboardData> }) {
  const groups = createMemo(() => groupReleases(itemsOf(props.query, 'upcomingReleases')));
  return (
    <WidgetSection
      id="upcoming-releases"
      title="Upcoming releases"
      state={widgetState(props.query, 'upcomingReleases')}
      empty={{ icon: CalendarDays, text: 'No releases in the next two weeks for what you follow.', actionLabel: 'Open calendar', actionHref: '/app/calendar' }}
      seeAllHref="/app/calendar"
      onRetry={() => props.query.refetch()}
    >
      <CardRow label="Upcoming releases">
        <For each={groups()}>{(group) => <li><ReleaseCard group={group} today={todayIso()} /></li>}</For>
      </CardRow>
    </WidgetSection>
  );
}

/** Titles of the people you follow: only there when it has some (following people is optional). */
function PeopleYouFollowSection(props: { query: ApiQuery<DashboardData> }) {
  const items = () => itemsOf(props.query, 'fromPeopleYouFollow');
  return (
    <Show when={items().length}>
      <WidgetSection id="from-people-you-follow" title="From people you follow" state="ready" empty={peopleEmpty} onRetry={() => props.query.refetch()}>
        <CardRow label="From people you follow">
          <For each={items()}>{(item) => <li><PosterCard title={item.media} subtitle={peopleLine(item.people) || undefined} showType /></li>}</For>
        </CardRow>
      </WidgetSection>
    </Show>
  );
}
const peopleEmpty: WidgetEmpty = { icon: UsersRound, text: '', actionLabel: 'Following', actionHref: '/app/following' };

/** New videos of the channels you follow: only there when there are some (following channels is optional). */
function NewFromChannelsSection(props: { query: ApiQuery<DashboardData> }) {
  const videos = createVideoList(() => itemsOf(props.query, 'newFromChannels'));
  return (
    <Show when={videos.length}>
      <div data-testid="dashboard-channels-row">
        <WidgetSection id="new-from-channels" title="New from channels" state="ready" empty={channelsEmpty} seeAllHref={CHANNELS_HREF} onRetry={() => props.query.refetch()}>
          <CardRow label="New from channels" video>
            <For each={videos}>{(video) => <li><VideoCard video={video} showChannel /></li>}</For>
          </CardRow>
        </WidgetSection>
      </div>
    </Show>
  );
}
const channelsEmpty: WidgetEmpty = { icon: TvMinimalPlay, text: '', actionLabel: 'Channels', actionHref: CHANNELS_HREF };

function DownloadsSection(props: { query: ApiQuery<DashboardData> }) {
  return (
    <WidgetSection
      id="downloads"
      title="Downloads"
      state={widgetState(props.query, 'activeDownloads')}
      seeAllHref="/app/downloads"
      skeleton={<ListSkeleton rows={2} label="Loading downloads…" />}
      empty={{ icon: Download, text: 'No active downloads. Add a magnet link, a .torrent or a URL.', actionLabel: 'Add a download', actionHref: '/app/downloads' }}
      onRetry={() => props.query.refetch()}
    >
      <DownloadsWidget jobs={() => itemsOf(props.query, 'activeDownloads')} />
    </WidgetSection>
  );
}

export default function DashboardPage() {
  const session = useSession();
  const dashboard = createApiQuery(() => ({
    queryKey: dashboardKeys.all,
    queryFn: fetchDashboard,
    // A video got from "New from channels": its state moves on (every download change drops the cached dashboard).
    refetchInterval: pollWhileGetting<DashboardData>((data) => widgetItems(data, 'newFromChannels')),
  }));
  const name = () => session.user()?.displayName?.split(' ')[0];

  return (
    <Page title="Dashboard" description={`${greeting()}${name() ? `, ${name()}` : ''}. Pick up where you left off.`}>
      <Show when={dashboard.error && !dashboard.isFetching && !dashboard.data}>
        <ErrorState error={dashboard.error!} title="Couldn't load your dashboard" onRetry={() => void dashboard.refetch()} />
      </Show>
      <Widget query={dashboard} spec={continueSpec} />
      <DownloadsSection query={dashboard} />
      <ReleasesSection query={dashboard} />
      <PeopleYouFollowSection query={dashboard} />
      <NewFromChannelsSection query={dashboard} />
      <For each={rows}>{(spec) => <Widget query={dashboard} spec={spec} />}</For>
      {/* The server's plumbing is for whoever runs it. */}
      <Show when={session.user()?.role === 'admin'}>
        <Section id="services" title="Services">
          <PartBoundary name="dashboard services panel">
            <ServiceHealth />
          </PartBoundary>
        </Section>
      </Show>
    </Page>
  );
}
