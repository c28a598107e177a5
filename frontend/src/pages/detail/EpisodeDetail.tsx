import { A, useParams } from '@solidjs/router';
import { createSignal, Show } from 'solid-js';
import ArrowLeft from 'lucide-solid/icons/arrow-left';
import { createApiQuery } from '../../api/queryClient';
import { fetchEpisode, titleKeys } from '../../api/titles';
import { glassButton } from '../../components/detail/actions';
import { DetailFrame } from '../../components/detail/DetailFrame';
import { PlayButton } from '../../components/detail/PlayButton';
import { TitleHeader } from '../../components/detail/TitleHeader';
import { WatchedButton } from '../../components/detail/WatchedButton';
import { GetButton } from '../../components/get/GetDialog';
import { episodeCode } from '../../components/library/labels';
import { AddToWantedButton } from '../../components/wanted/AddToWanted';
import { formatDate, formatRuntime } from '../../lib/format';

type EpisodeParams = {
  id: string;
  season: string;
  episode: string;
};

/** One episode as the page shows it: named by its show and code. */
async function loadEpisode(p: EpisodeParams) {
  const { season, episode } = await fetchEpisode(p.id, p.season, p.episode);
  const code = episodeCode(season.seasonNumber, episode.episodeNumber);
  return {
    id: season.showId, mediaType: 'show' as const, title: `${season.showTitle} ${code}`, showTitle: season.showTitle,
    name: episode.name || `Episode ${episode.episodeNumber}`, code, season: season.seasonNumber, episode,
    posterUrl: season.posterUrl, backdropUrl: episode.stillUrl, overview: episode.overview,
  };
}

/** The still, the synopsis and the air date under the header. */
function EpisodeAbout(props: { name: string; overview?: string | null; stillUrl?: string | null; airDate?: string | null }) {
  const aired = () => props.airDate && new Date(props.airDate) <= new Date();
  return (
    <section aria-label="About this episode" class="mt-10 flex max-w-4xl flex-col gap-6 sm:flex-row sm:items-start">
      <Show when={props.stillUrl}>
        {(src) => <img src={src()} alt={`Still from ${props.name}`} loading="lazy" class="aspect-video w-full shrink-0 rounded-xl border border-line object-cover sm:w-72" />}
      </Show>
      <div class="min-w-0 flex-1">
        <h2 class="text-sm font-medium uppercase tracking-wider text-ink-subtle">Synopsis</h2>
        <p class="mt-2 text-base leading-relaxed" classList={{ 'text-ink-muted': !!props.overview, 'text-ink-subtle italic': !props.overview }}>
          {props.overview || 'The catalog has no synopsis of this episode yet.'}
        </p>
        <Show when={props.airDate}>
          {(date) => (
            <p class="mt-3 text-sm text-ink-muted">
              {aired() ? 'Aired' : 'Airs'} <time datetime={date()}>{formatDate(date())}</time>
            </p>
          )}
        </Show>
      </div>
    </section>
  );
}

/** An episode: its still, synopsis and air date, and the actions that play, mark or get it. */
export default function EpisodeDetailPage() {
  const params = useParams<EpisodeParams>();
  const episode = createApiQuery(() => {
    const p = { id: params.id, season: params.season, episode: params.episode };
    return { queryKey: titleKeys.episode(p.id, p.season, p.episode), queryFn: () => loadEpisode(p) };
  });
  const [held, setHeld] = createSignal(false);
  return (
    <DetailFrame query={episode} noun="episode" backHref={`/app/shows/${params.id}`}>
      {(e) => {
        const target = { mediaId: e.id, title: e.showTitle, season: e.season, episode: e.episode.episodeNumber };
        return (
          <TitleHeader
            title={{ ...e, title: e.name, overview: null }}
            owned={e.episode.owned}
            facts={[e.showTitle, e.code, e.episode.airDate ? formatDate(e.episode.airDate) : undefined, formatRuntime(e.episode.runtimeMinutes)]}
            actions={
              <>
                <Show when={e.episode.id}>
                  {(episodeId) => (
                    <>
                      <PlayButton mediaId={e.id} episodeId={episodeId()} title={`${e.showTitle} ${e.code}`} onHeld={setHeld} />
                      <WatchedButton mediaId={e.id} episodeId={episodeId()} title={`${e.showTitle} ${e.code}`} quiet={held()} />
                    </>
                  )}
                </Show>
                <GetButton target={target} />
                <AddToWantedButton target={target} />
                <A href={`/app/shows/${e.id}?season=${e.season}`} class={glassButton}>
                  <ArrowLeft class="size-4" strokeWidth={1.75} />
                  {e.showTitle}
                </A>
              </>
            }
            below={<EpisodeAbout name={e.name} overview={e.overview} stillUrl={e.episode.stillUrl} airDate={e.episode.airDate} />}
          />
        );
      }}
    </DetailFrame>
  );
}
