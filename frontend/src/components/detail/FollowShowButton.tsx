import BellPlus from 'lucide-solid/icons/bell-plus';
import BellRing from 'lucide-solid/icons/bell-ring';
import { Show } from 'solid-js';
import { fetchFollows, followingKeys, forgetShowFollow, setShowFollow, type FollowedShow, type FollowsOut } from '../../api/following';
import { createApiQuery, setQueryData } from '../../api/queryClient';
import { optimistic } from '../../lib/optimistic';
import { glassButton } from './actions';

type State = FollowedShow['state'] | undefined;

/** The next state a click asks for: follow, or stop following (forget an explicit follow, mute an implicit one). */
const nextOf = (state: State): 'follow' | 'mute' | null => (state === 'follow' ? null : state === 'implicit' ? 'mute' : 'follow');

function withState(list: FollowsOut, mediaId: number, title: string, state: 'follow' | 'mute' | null): FollowsOut {
  const others = list.items.filter((item) => item.media.id !== mediaId);
  if (state === null) return { ...list, items: others };
  const media = { id: mediaId, mediaType: 'show' as const, title, year: null, posterPath: null };
  return { ...list, items: [...others, { media, state, followed: state === 'follow', since: new Date().toISOString() }] };
}

/**
 * Follow / Following for a show: new episodes land on the calendar and the dashboard. A show you
 * watch that still airs is followed implicitly; "Following" then mutes it.
 */
export function FollowShowButton(props: { mediaId: number; title: string }) {
  const follows = createApiQuery(() => ({ queryKey: followingKeys.all, queryFn: fetchFollows }));
  const setFollows = (value: FollowsOut) => setQueryData<FollowsOut>(followingKeys.all, () => value);
  const state = (): State => follows.data?.items.find((item) => item.media.id === props.mediaId)?.state;
  const on = () => state() === 'follow' || state() === 'implicit';

  const toggle = () => {
    const before = follows.data;
    if (!before) return;
    const next = nextOf(state());
    void optimistic({
      apply: () => setFollows(withState(before, props.mediaId, props.title, next)),
      commit: () =>
        next === null ? forgetShowFollow(props.mediaId) : setShowFollow(props.mediaId, next),
      rollback: () => setFollows(before),
      failure: next === 'follow' ? `Couldn't follow “${props.title}”` : `Couldn't unfollow “${props.title}”`,
    }).then((error) => !error && void follows.refetch());
  };

  return (
    <button
      type="button"
      class={glassButton}
      aria-pressed={on()}
      disabled={!follows.data}
      title={state() === 'implicit' ? 'Followed because you watch it — click to stop' : on() ? 'Stop following' : 'New episodes on your calendar'}
      onClick={toggle}
    >
      <Show when={on()} fallback={<BellPlus class="size-4" strokeWidth={1.75} />}>
        <BellRing class="size-4 text-accent" strokeWidth={2} />
      </Show>
      {on() ? 'Following' : 'Follow'}
    </button>
  );
}
