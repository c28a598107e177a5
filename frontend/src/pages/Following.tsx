import { A } from '@solidjs/router';
import Tv from 'lucide-solid/icons/tv';
import UsersRound from 'lucide-solid/icons/users-round';
import { For, Show } from 'solid-js';
import { fetchFollows, followingKeys, forgetShowFollow, setShowFollow, type FollowedShow, type FollowsOut } from '../api/following';
import { unfollowPerson } from '../api/people';
import { createApiQuery, setQueryData, type ApiQuery } from '../api/queryClient';
import type { FollowedPerson } from '../api/types';
import { TitleLine } from '../components/media/TitleLine';
import { personHref } from '../components/people/CastRow';
import { PersonPhoto } from '../components/people/PersonPhoto';
import { buttonStyles } from '../components/ui/button';
import { EmptyState } from '../components/ui/EmptyState';
import { Page, Section } from '../components/ui/Page';
import { QueryView } from '../components/ui/QueryView';
import { ListSkeleton } from '../components/ui/Skeleton';
import { formatRelative } from '../lib/format';
import { optimistic } from '../lib/optimistic';
import { unwrap } from 'solid-js/store';

function PersonCard(props: { follow: FollowedPerson; onUnfollow: () => void }) {
  const person = () => props.follow.person;
  return (
    <li aria-label={person().name} class="flex items-center gap-4 rounded-2xl border border-line bg-surface p-3 pr-4">
      <A href={personHref(person().id)} tabindex="-1" aria-hidden="true" class="w-14 shrink-0">
        <PersonPhoto name={person().name} url={person().profileUrl} class="w-14" />
      </A>
      <div class="min-w-0 flex-1">
        <A href={personHref(person().id)} class="block truncate font-medium text-ink transition-colors hover:text-accent-ink">
          {person().name}
        </A>
        <p class="mt-0.5 truncate text-xs text-ink-subtle">
          {[person().knownForDepartment, `since ${formatRelative(props.follow.since)}`].filter(Boolean).join(' · ')}
        </p>
      </div>
      <button type="button" class={buttonStyles.ghost} aria-label={`Unfollow ${person().name}`} onClick={() => props.onUnfollow()}>
        Unfollow
      </button>
    </li>
  );
}

function ShowLine(props: { follow: FollowedShow; onUnfollow: () => void }) {
  const implicit = () => props.follow.state === 'implicit';
  return (
    <li aria-label={props.follow.media.title} class="rounded-2xl border border-line bg-surface p-3 pr-4">
      <TitleLine
        title={props.follow.media}
        detail={implicit() ? 'followed because you watch it' : `since ${formatRelative(props.follow.since)}`}
        trailing={
          <button type="button" class={buttonStyles.ghost} aria-label={`Unfollow ${props.follow.media.title}`} onClick={() => props.onUnfollow()}>
            Unfollow
          </button>
        }
      />
    </li>
  );
}

/** What the page shows now, as plain data (not the query's store proxy), to restore on failure. */
const shown = (follows: ApiQuery<FollowsOut>) => (follows.data === undefined ? undefined : unwrap(follows.data));
const show = (list: FollowsOut) => setQueryData<FollowsOut>(followingKeys.all, () => list);

function usePeople(follows: ApiQuery<FollowsOut>) {
  return (follow: FollowedPerson) => {
    const before = shown(follows);
    if (!before) return;
    void optimistic({
      apply: () => show({ ...before, people: (before.people ?? []).filter((p) => p.person.id !== follow.person.id) }),
      commit: () => unfollowPerson(follow.person.id),
      rollback: () => show(before),
      failure: `Couldn't unfollow ${follow.person.name}`,
    });
  };
}

function useShows(follows: ApiQuery<FollowsOut>) {
  return (follow: FollowedShow) => {
    const before = shown(follows);
    if (!before) return;
    void optimistic({
      apply: () => show({ ...before, items: before.items.filter((item) => item.media.id !== follow.media.id) }),
      // An implicit follow (watched, still airing) is undone by muting; an explicit one is forgotten.
      commit: () => (follow.state === 'implicit' ? setShowFollow(follow.media.id, 'mute') : forgetShowFollow(follow.media.id)),
      rollback: () => show(before),
      failure: `Couldn't unfollow “${follow.media.title}”`,
    });
  };
}

/** /app/following — the people and shows whose new titles come to your calendar and dashboard. */
export default function FollowingPage() {
  const follows = createApiQuery(() => ({ queryKey: followingKeys.all, queryFn: fetchFollows }));
  const unfollowPersonOf = usePeople(follows);
  const unfollowShowOf = useShows(follows);
  const people = () => follows.data?.people ?? [];
  const shows = () => (follows.data?.items ?? []).filter((item) => item.state !== 'mute');

  return (
    <Page title="Following" description="People and shows whose new titles come to your calendar and dashboard.">
      <QueryView query={follows} loading={<ListSkeleton rows={4} label="Loading what you follow…" />} errorTitle="Couldn't load what you follow">
        {() => (
          <div class="flex flex-col gap-12">
            <Section id="people" title="People">
              <Show
                when={people().length}
                fallback={<EmptyState level={3} icon={UsersRound} title="No one yet" body="Open an actor or a director from a title's cast and press Follow: their new work lands on your calendar." />}
              >
                <ul aria-label="People you follow" class="grid gap-3 sm:grid-cols-2 xl:grid-cols-3">
                  <For each={people()}>{(follow) => <PersonCard follow={follow} onUnfollow={() => unfollowPersonOf(follow)} />}</For>
                </ul>
              </Show>
            </Section>
            <Section id="shows" title="Shows">
              <Show
                when={shows().length}
                fallback={<EmptyState level={3} icon={Tv} title="No shows yet" body="Follow a show from its page and its new episodes show up on your calendar." />}
              >
                <ul aria-label="Shows you follow" class="grid gap-3 sm:grid-cols-2 xl:grid-cols-3">
                  <For each={shows()}>{(follow) => <ShowLine follow={follow} onUnfollow={() => unfollowShowOf(follow)} />}</For>
                </ul>
              </Show>
            </Section>
          </div>
        )}
      </QueryView>
    </Page>
  );
}
