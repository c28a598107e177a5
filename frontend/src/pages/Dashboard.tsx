import { A } from '@solidjs/router';
import Bookmark from 'lucide-solid/icons/bookmark';
import Play from 'lucide-solid/icons/play';
import { Show } from 'solid-js';
import { api, call } from '../api/client';
import type { ContinueItem } from '../api/types';
import { ServiceHealth } from '../components/health/ServiceHealth';
import { MediaRow } from '../components/media/MediaRow';
import { PosterCard } from '../components/media/PosterCard';
import { buttonStyles } from '../components/ui/button';
import { EmptyState } from '../components/ui/EmptyState';
import { Page, Section } from '../components/ui/Page';
import { QueryView } from '../components/ui/QueryView';
import { RowSkeleton } from '../components/ui/Skeleton';
import { formatDuration } from '../lib/format';
import { createQuery } from '../lib/query';
import { useSession } from '../stores/session';

function continueLabel(item: ContinueItem): string {
  const ep = item.episode ? `S${item.episode.seasonNumber} · E${item.episode.episodeNumber}` : '';
  if (item.kind === 'next') return ep ? `Up next: ${ep}` : 'Up next';
  const left = item.durationSeconds && item.positionSeconds != null ? item.durationSeconds - item.positionSeconds : undefined;
  const rest = left && left > 0 ? `${formatDuration(left)} left` : 'In progress';
  return ep ? `${ep} · ${rest}` : rest;
}

function ContinueCard(props: { item: ContinueItem }) {
  return (
    <div>
      <PosterCard title={props.item.media} quickAction={false} subtitle={continueLabel(props.item)} />
      <Show when={props.item.percent != null}>
        <div class="mt-2 h-1 overflow-hidden rounded-full bg-raised" role="progressbar" aria-label={`${props.item.media.title} progress`} aria-valuemin={0} aria-valuemax={100} aria-valuenow={Math.round(props.item.percent ?? 0)}>
          <div class="h-full rounded-full bg-accent" style={{ width: `${props.item.percent}%` }} />
        </div>
      </Show>
    </div>
  );
}

function greeting(): string {
  const hour = new Date().getHours();
  return hour < 5 ? 'Good night' : hour < 12 ? 'Good morning' : hour < 18 ? 'Good afternoon' : 'Good evening';
}

export default function DashboardPage() {
  const session = useSession();
  const continuing = createQuery(() => true, () => call(api.GET('/api/v1/progress/continue-watching')));
  const queue = createQuery(() => true, () => call(api.GET('/api/v1/watch-later', { params: { query: { pageSize: 20 } } })));
  const name = () => session.user()?.displayName?.split(' ')[0];

  return (
    <Page title="Dashboard" description={`${greeting()}${name() ? `, ${name()}` : ''}. Pick up where you left off.`}>
      <QueryView
        query={continuing}
        loading={<RowSkeleton label="Loading what you're watching…" />}
        isEmpty={(data) => data.items.length === 0}
        empty={
          <Section id="continue-watching" title="Continue watching">
            <EmptyState
              icon={Play}
              level={3}
              title="Nothing in progress"
              body="Mark an episode watched or start something from your library, and it waits here, right where you stopped."
              action={<A href="/app/shows" class={buttonStyles.secondary}>Find a show</A>}
            />
          </Section>
        }
      >
        {(data) => (
          <MediaRow
            title="Continue watching"
            titles={data().items.map((item) => ({ ...item.media }))}
            item={(title) => {
              const item = data().items.find((i) => i.media.id === title.id)!;
              return <ContinueCard item={item} />;
            }}
          />
        )}
      </QueryView>
      <QueryView
        query={queue}
        loading={<RowSkeleton label="Loading watch later…" />}
        isEmpty={(page) => page.items.length === 0}
        empty={
          <Section id="watch-later" title="Watch later">
            <EmptyState icon={Bookmark} level={3} title="Your queue is empty" body="Bookmark titles as you browse and they line up here." action={<A href="/app/discover" class={buttonStyles.secondary}>Explore Discover</A>} />
          </Section>
        }
      >
        {(page) => <MediaRow title="Watch later" subtitle={`${page().total} in your queue`} seeAllHref="/app/watch-later" titles={page().items.map((i) => i.media)} showType />}
      </QueryView>
      <Section id="services" title="Services">
        <ServiceHealth />
      </Section>
    </Page>
  );
}
