import { A, useParams } from '@solidjs/router';
import ArrowLeft from 'lucide-solid/icons/arrow-left';
import { api, ApiError, call } from '../../api/client';
import { glassButton } from '../../components/detail/actions';
import { DetailFrame } from '../../components/detail/DetailFrame';
import { TitleHeader } from '../../components/detail/TitleHeader';
import { GetButton } from '../../components/get/GetDialog';
import { episodeCode } from '../../components/library/labels';
import { AddToWantedButton } from '../../components/wanted/AddToWanted';
import { formatDate, formatRuntime } from '../../lib/format';
import { createQuery } from '../../lib/query';

type EpisodeParams = {
  id: string;
  season: string;
  episode: string;
};

/** One episode from its season's listing (the catalog has no single-episode endpoint). */
async function fetchEpisode(p: EpisodeParams) {
  const season = await call(api.GET('/api/v1/shows/{show_id}/seasons/{season_number}', { params: { path: { show_id: p.id, season_number: p.season } } }));
  const episode = season.episodes?.find((e) => e.episodeNumber === Number(p.episode));
  if (!episode) throw new ApiError(404, 'not_found', `${season.showTitle} has no episode ${p.episode} in season ${p.season}.`);
  const code = episodeCode(season.seasonNumber, episode.episodeNumber);
  return {
    id: season.showId, mediaType: 'show' as const, title: `${season.showTitle} ${code}`, showTitle: season.showTitle,
    name: episode.name || `Episode ${episode.episodeNumber}`, code, season: season.seasonNumber, episode,
    posterUrl: season.posterUrl, backdropUrl: episode.stillUrl, overview: episode.overview,
  };
}

/** An episode: what it is, and the actions that get it (Get, Add to wanted). */
export default function EpisodeDetailPage() {
  const params = useParams<EpisodeParams>();
  const episode = createQuery(() => ({ id: params.id, season: params.season, episode: params.episode }), fetchEpisode);
  return (
    <DetailFrame query={episode} noun="episode" backHref={`/app/shows/${params.id}`}>
      {(e) => {
        const target = { mediaId: e.id, title: e.showTitle, season: e.season, episode: e.episode.episodeNumber };
        return (
          <TitleHeader
            title={{ ...e, title: e.name }}
            facts={[e.showTitle, e.code, e.episode.airDate ? formatDate(e.episode.airDate) : undefined, formatRuntime(e.episode.runtimeMinutes)]}
            actions={
              <>
                <GetButton target={target} />
                <AddToWantedButton target={target} />
                <A href={`/app/shows/${e.id}?season=${e.season}`} class={glassButton}>
                  <ArrowLeft class="size-4" strokeWidth={1.75} />
                  {e.showTitle}
                </A>
              </>
            }
          />
        );
      }}
    </DetailFrame>
  );
}
