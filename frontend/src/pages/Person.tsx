import { A, useParams } from '@solidjs/router';
import UserRoundX from 'lucide-solid/icons/user-round-x';
import { createEffect, createSignal, Match, Show, Switch } from 'solid-js';
import { fetchPerson, followPerson, peopleKeys, unfollowPerson } from '../api/people';
import { createApiQuery, setQueryData, type ApiQuery } from '../api/queryClient';
import type { PersonDetail } from '../api/types';
import { MediaRow } from '../components/media/MediaRow';
import { Filmography } from '../components/people/Filmography';
import { lifeYears, seenCount } from '../components/people/filmography';
import { FollowPersonButton } from '../components/people/FollowPersonButton';
import { PersonPhoto } from '../components/people/PersonPhoto';
import { buttonStyles } from '../components/ui/button';
import { EmptyState } from '../components/ui/EmptyState';
import { ErrorState } from '../components/ui/ErrorState';
import { Skeleton } from '../components/ui/Skeleton';
import { optimistic } from '../lib/optimistic';
import { showToast } from '../stores/toasts';

/** The biography, four lines until "Read more" (only offered when there is more to read). */
function Biography(props: { text: string }) {
  const [open, setOpen] = createSignal(false);
  const long = () => props.text.length > 420 || props.text.split('\n').length > 4;
  return (
    <div class="mt-8 max-w-3xl">
      <p id="person-bio" class="whitespace-pre-line text-base leading-relaxed text-ink-muted" classList={{ 'line-clamp-4': long() && !open() }}>
        {props.text}
      </p>
      <Show when={long()}>
        <button type="button" class={`${buttonStyles.ghost} -ml-3 mt-2`} aria-expanded={open()} aria-controls="person-bio" onClick={() => setOpen(!open())}>
          {open() ? 'Show less' : 'Read more'}
        </button>
      </Show>
    </div>
  );
}

function SeenStat(props: { person: PersonDetail }) {
  const count = () => seenCount(props.person.filmography ?? []);
  return (
    <Show when={count().total > 0}>
      <div class="min-w-48">
        <p class="text-sm text-ink">
          You've seen <span class="font-semibold tabular-nums">{count().seen}</span> of <span class="tabular-nums">{count().total}</span>
        </p>
        <div
          class="mt-2 h-1.5 overflow-hidden rounded-full bg-white/10"
          role="progressbar"
          aria-label={`Seen of ${props.person.name}'s titles`}
          aria-valuemin={0}
          aria-valuemax={count().total}
          aria-valuenow={count().seen}
        >
          <div class="h-full rounded-full bg-linear-to-r from-accent to-[#8f5bff]" style={{ width: `${(count().seen / count().total) * 100}%` }} />
        </div>
      </div>
    </Show>
  );
}

function PersonView(props: { person: PersonDetail; onToggleFollow: () => void }) {
  const p = () => props.person;
  const facts = () => [p().knownForDepartment, lifeYears(p().birthYear, p().deathYear)].filter(Boolean).join(' · ');
  return (
    <article aria-labelledby="page-title" class="animate-enter">
      <div class="relative -mx-5 -mt-10 mb-12 overflow-hidden px-5 pb-10 pt-14 sm:-mx-8 sm:px-8 sm:pt-20 lg:-mx-12 lg:-mt-14 lg:px-12 lg:pt-24">
        <div aria-hidden="true" class="pointer-events-none absolute -left-24 -top-40 size-[36rem] rounded-full bg-accent/10 blur-3xl" />
        <div aria-hidden="true" class="pointer-events-none absolute -top-20 right-0 size-[28rem] rounded-full bg-secondary/20 blur-3xl" />
        <div class="relative flex flex-col gap-8 sm:flex-row sm:items-end lg:gap-12">
          <PersonPhoto name={p().name} url={p().profileUrl} alt={`Photo of ${p().name}`} class="w-36 shadow-[0_30px_60px_-20px_rgb(0_0_0/0.8)] sm:w-44 lg:w-52" />
          <div class="min-w-0 flex-1">
            <h1 id="page-title" class="text-4xl font-semibold leading-[1.05] tracking-tight text-ink sm:text-5xl">{p().name}</h1>
            <Show when={facts()}>
              <p class="mt-3 text-sm text-ink-muted">{facts()}</p>
            </Show>
            <div class="mt-7 flex flex-wrap items-center gap-x-8 gap-y-5">
              <FollowPersonButton name={p().name} following={!!p().following} onToggle={props.onToggleFollow} />
              <SeenStat person={p()} />
            </div>
          </div>
        </div>
        <Show when={p().biography}>{(bio) => <Biography text={bio()} />}</Show>
      </div>
      <div class="flex flex-col gap-14">
        <Show when={p().knownFor?.length}>
          <MediaRow title="Known for" titles={p().knownFor!} showType />
        </Show>
        <section aria-labelledby="filmography-title">
          <h2 id="filmography-title" class="mb-6 text-lg font-medium tracking-tight text-ink">Filmography</h2>
          <Show when={p().filmography?.length} fallback={<p class="text-sm text-ink-muted">No titles of theirs are in the catalog yet.</p>}>
            <Filmography entries={p().filmography!} knownFor={p().knownForDepartment} />
          </Show>
        </section>
      </div>
    </article>
  );
}

function PersonSkeleton() {
  return (
    <div role="status" class="animate-enter pt-6">
      <span class="sr-only">Loading person…</span>
      <div aria-hidden="true" class="flex items-end gap-10">
        <Skeleton class="size-36 rounded-full sm:size-44 lg:size-52" />
        <div class="flex-1 space-y-4">
          <Skeleton class="h-12 w-1/2" />
          <Skeleton class="h-4 w-1/4" />
          <Skeleton class="h-11 w-40 rounded-full" />
        </div>
      </div>
    </div>
  );
}

/** Loading, not-found and error states around the person. */
function PersonFrame(props: { query: ApiQuery<PersonDetail>; onToggleFollow: () => void }) {
  return (
    <Switch fallback={<PersonSkeleton />}>
      <Match when={props.query.error?.status === 404}>
        <EmptyState
          icon={UserRoundX}
          title="This person isn't in the catalog"
          body="They may have been removed, or the link is wrong."
          action={<A href="/app/discover" class={buttonStyles.secondary}>Back to Discover</A>}
        />
      </Match>
      <Match when={props.query.error && !props.query.data}>
        <ErrorState error={props.query.error!} onRetry={() => void props.query.refetch()} />
      </Match>
      <Match when={props.query.data}>{(person) => <PersonView person={person()} onToggleFollow={props.onToggleFollow} />}</Match>
    </Switch>
  );
}

/** /app/people/:id — who they are, what they made, what of it you've seen; follow them. */
export default function PersonPage() {
  const params = useParams<{ id: string }>();
  const person = createApiQuery(() => {
    const id = params.id;
    return { queryKey: peopleKeys.person(id), queryFn: () => fetchPerson(id) };
  });
  createEffect(() => {
    const data = person.data;
    if (data) document.title = `${data.name} · /seen/`;
  });

  const toggleFollow = async () => {
    const before = person.data;
    if (!before) return;
    const key = peopleKeys.person(params.id);
    const following = !before.following;
    const error = await optimistic({
      apply: () => setQueryData<PersonDetail>(key, (current) => current && { ...current, following }),
      commit: () => (following ? followPerson(before.id) : unfollowPerson(before.id)),
      rollback: () => setQueryData<PersonDetail>(key, (current) => current && { ...current, following: !following }),
      failure: following ? `Couldn't follow ${before.name}` : `Couldn't unfollow ${before.name}`,
    });
    if (!error && following) showToast({ tone: 'success', title: `Following ${before.name}`, body: 'Their new titles show up on your calendar and dashboard.' });
  };

  return <PersonFrame query={person} onToggleFollow={() => void toggleFollow()} />;
}
