import { useParams, useSearchParams } from '@solidjs/router';
import { createMemo, For, onMount, Show } from 'solid-js';
import { createApiQuery, setQueryData } from '../../api/queryClient';
import { fetchSeason, fetchShow, fetchShowProgress, titleKeys } from '../../api/titles';
import { markSeasonWatched, markWatched, unmarkWatched } from '../../api/tracking';
import type { ShowProgress } from '../../api/types';
import { FavoriteButton, WatchLaterButton } from '../../components/detail/actions';
import { AddToCollection } from '../../components/detail/AddToCollection';
import { DetailFrame } from '../../components/detail/DetailFrame';
import { RatingControl } from '../../components/detail/RatingControl';
import { SeasonEpisodes } from '../../components/detail/SeasonEpisodes';
import { withEpisodeWatched, withSeasonWatched } from '../../components/detail/showProgress';
import { TitleHeader } from '../../components/detail/TitleHeader';
import { GetButton } from '../../components/get/GetDialog';
import { MediaRow } from '../../components/media/MediaRow';
import { CastRow } from '../../components/people/CastRow';
import { FollowShowButton } from '../../components/detail/FollowShowButton';
import { PlayButton } from '../../components/detail/PlayButton';
import { buttonStyles } from '../../components/ui/button';
import { chipStyles } from '../../components/ui/form';
import { QueryView } from '../../components/ui/QueryView';
import { ListSkeleton } from '../../components/ui/Skeleton';
import { AddToWantedButton } from '../../components/wanted/AddToWanted';
import { optimistic } from '../../lib/optimistic';
import { favorites, watchLater } from '../../stores/membership';

function ProgressSummary(props: { progress: ShowProgress }) {
  const next = () => props.progress.nextEpisode;
  return (
    <div class="mt-8 max-w-xl">
      <div class="flex items-baseline justify-between text-sm">
        <span class="text-ink">
          {props.progress.completed ? 'All caught up' : `${props.progress.watched} of ${props.progress.aired} episodes`}
        </span>
        <span class="tabular-nums text-ink-subtle">{Math.round(props.progress.percent)}%</span>
      </div>
      <div class="mt-2 h-1.5 overflow-hidden rounded-full bg-white/10" role="progressbar" aria-label="Show progress" aria-valuemin={0} aria-valuemax={100} aria-valuenow={Math.round(props.progress.percent)}>
        <div class="h-full rounded-full bg-linear-to-r from-accent to-[#8f5bff] transition-[width] duration-500 ease-out-soft" style={{ width: `${props.progress.percent}%` }} />
      </div>
      <Show when={next()}>
        {(ep) => (
          <p class="mt-3 text-sm text-ink-muted">
            Up next: <span class="text-ink">S{ep().seasonNumber} · E{ep().episodeNumber}</span>
            {ep().name ? ` — ${ep().name}` : ''}
          </p>
        )}
      </Show>
    </div>
  );
}

export default function ShowDetailPage() {
  const params = useParams<{ id: string }>();
  const [search, setSearch] = useSearchParams<{ season?: string }>();
  const show = createApiQuery(() => {
    const id = params.id;
    return { queryKey: titleKeys.show(id), queryFn: () => fetchShow(id) };
  });
  const progress = createApiQuery(() => {
    const id = params.id;
    return { queryKey: titleKeys.progress(id), queryFn: () => fetchShowProgress(id) };
  });
  const setProgress = (value: ShowProgress | undefined) => setQueryData<ShowProgress>(titleKeys.progress(params.id), () => value);
  onMount(() => void Promise.all([watchLater.ensureLoaded(), favorites.ensureLoaded()]).catch(() => undefined));

  const seasonNumbers = createMemo(() => (show.data?.seasons ?? []).map((s) => s.seasonNumber));
  const selected = createMemo(() => {
    const list = seasonNumbers();
    const wanted = Number(search.season);
    if (list.includes(wanted)) return wanted;
    const next = progress.data?.nextEpisode?.seasonNumber;
    if (next !== undefined && list.includes(next)) return next;
    return list.find((n) => n > 0) ?? list[0];
  });
  const season = createApiQuery(() => {
    const id = params.id;
    const n = selected();
    return { queryKey: titleKeys.season(id, n ?? ''), queryFn: () => fetchSeason(id, n!), enabled: n !== undefined };
  });

  const toggleEpisode = (episodeId: number, watched: boolean) => {
    const before = progress.data;
    if (!before) return;
    const mediaId = before.media.id;
    void optimistic({
      apply: () => setProgress(withEpisodeWatched(before, episodeId, watched)),
      commit: () =>
        watched ? markWatched({ mediaId, episodeId }) : unmarkWatched({ mediaId, episodeId }, 'all'),
      rollback: () => setProgress(before),
      failure: watched ? "Couldn't mark the episode watched" : "Couldn't unmark the episode",
    }).then((error) => !error && void progress.refetch());
  };

  const toggleSeason = (seasonNumber: number, watched: boolean) => {
    const before = progress.data;
    if (!before) return;
    const mediaId = before.media.id;
    void optimistic({
      apply: () => setProgress(withSeasonWatched(before, seasonNumber, watched)),
      commit: () =>
        watched ? markSeasonWatched(mediaId, seasonNumber) : unmarkWatched({ mediaId, seasonNumber }, 'all'),
      rollback: () => setProgress(before),
      failure: watched ? "Couldn't mark the season watched" : "Couldn't unmark the season",
    }).then((error) => !error && void progress.refetch());
  };

  return (
    <DetailFrame query={show} noun="show" backHref="/app/shows">
      {(s) => (
        <>
          <TitleHeader
            title={s}
            genres={s.genres}
            crew={s.credits?.crew}
            owned={s.owned}
            facts={[
              'Show',
              s.year ? `${s.year}${s.lastAirDate && s.lastAirDate.slice(0, 4) !== String(s.year) ? `–${s.lastAirDate.slice(0, 4)}` : ''}` : undefined,
              s.seasons?.length ? `${s.seasons.filter((x) => x.seasonNumber > 0).length} seasons` : undefined,
              s.networks?.[0],
              s.status,
            ]}
            actions={
              <>
                <PlayButton mediaId={s.id} title={s.title} />
                <FollowShowButton mediaId={s.id} title={s.title} />
                <AddToWantedButton target={{ mediaId: s.id, title: s.title }} />
                <WatchLaterButton mediaId={s.id} title={s.title} />
                <FavoriteButton mediaId={s.id} title={s.title} />
                <AddToCollection mediaId={s.id} title={s.title} />
                <RatingControl mediaId={s.id} title={s.title} />
              </>
            }
            below={<Show when={progress.data}>{(p) => <ProgressSummary progress={p()} />}</Show>}
          />
          <Show when={seasonNumbers().length}>
            <section aria-labelledby="seasons-title" class="mb-14">
              <h2 id="seasons-title" class="mb-5 text-lg font-medium tracking-tight text-ink">Seasons</h2>
              <div role="group" aria-label="Season" class="no-scrollbar -mx-5 mb-8 flex gap-2 overflow-x-auto px-5 sm:mx-0 sm:flex-wrap sm:px-0">
                <For each={s.seasons}>
                  {(item) => {
                    const p = () => progress.data?.seasons.find((x) => x.seasonNumber === item.seasonNumber);
                    return (
                      <button
                        type="button"
                        class={chipStyles(selected() === item.seasonNumber)}
                        aria-pressed={selected() === item.seasonNumber}
                        onClick={() => setSearch({ season: String(item.seasonNumber) }, { replace: true, scroll: false })}
                      >
                        {item.name ?? (item.seasonNumber === 0 ? 'Specials' : `Season ${item.seasonNumber}`)}
                        <Show when={p()?.completed}>
                          <span class="size-1.5 rounded-full bg-ok" aria-label="(watched)" />
                        </Show>
                      </button>
                    );
                  }}
                </For>
              </div>
              <QueryView query={season} loading={<ListSkeleton rows={6} label="Loading episodes…" />}>
                {(detail) => (
                  <>
                  {/* A show's Get is the choice of a season: its packs and episodes, ranked. */}
                  <div class="mb-5 flex flex-wrap gap-3">
                    <GetButton target={{ mediaId: s.id, title: s.title, season: detail().seasonNumber }} label={`Get season ${detail().seasonNumber}`} class={buttonStyles.secondary} />
                    <AddToWantedButton target={{ mediaId: s.id, title: s.title, season: detail().seasonNumber }} label={`Add season ${detail().seasonNumber} to wanted`} class={buttonStyles.secondary} />
                  </div>
                  <SeasonEpisodes
                    showTitle={s.title}
                    season={detail()}
                    progress={progress.data?.seasons.find((x) => x.seasonNumber === detail().seasonNumber)}
                    onToggle={toggleEpisode}
                    onToggleSeason={(watched) => toggleSeason(detail().seasonNumber, watched)}
                    episodeHref={(n, e) => `/app/shows/${s.id}/season/${n}/episode/${e}`}
                    getTarget={(n, e) => ({ mediaId: s.id, title: s.title, season: n, episode: e })}
                  />
                  </>
                )}
              </QueryView>
            </section>
          </Show>
          <Show when={s.credits?.cast?.length}>
            <CastRow cast={s.credits!.cast!} />
          </Show>
          <Show when={s.similar?.length}>
            <MediaRow title="More like this" titles={s.similar!} />
          </Show>
        </>
      )}
    </DetailFrame>
  );
}
