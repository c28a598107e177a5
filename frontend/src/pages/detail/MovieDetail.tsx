import { useParams } from '@solidjs/router';
import { createSignal, onMount, Show } from 'solid-js';
import { createApiQuery } from '../../api/queryClient';
import { fetchMovie, titleKeys } from '../../api/titles';
import { FavoriteButton, WatchLaterButton } from '../../components/detail/actions';
import { AddToCollection } from '../../components/detail/AddToCollection';
import { DetailFrame } from '../../components/detail/DetailFrame';
import { PlayButton } from '../../components/detail/PlayButton';
import { RatingControl } from '../../components/detail/RatingControl';
import { TitleHeader } from '../../components/detail/TitleHeader';
import { WatchedButton } from '../../components/detail/WatchedButton';
import { GetButton } from '../../components/get/GetDialog';
import { MediaRow } from '../../components/media/MediaRow';
import { CastRow } from '../../components/people/CastRow';
import { AddToWantedButton } from '../../components/wanted/AddToWanted';
import { formatDate, formatRuntime } from '../../lib/format';
import { favorites, watchLater } from '../../stores/membership';

export default function MovieDetailPage() {
  const params = useParams<{ id: string }>();
  const movie = createApiQuery(() => {
    const id = params.id;
    return { queryKey: titleKeys.movie(id), queryFn: () => fetchMovie(id) };
  });
  onMount(() => void Promise.all([watchLater.ensureLoaded(), favorites.ensureLoaded()]).catch(() => undefined));
  const [held, setHeld] = createSignal(false);

  return (
    <DetailFrame query={movie} noun="movie" backHref="/app/movies">
      {(m) => (
        <>
          <TitleHeader
            title={m}
            genres={m.genres}
            crew={m.credits?.crew}
            owned={m.owned}
            facts={['Movie', m.year ? String(m.year) : undefined, formatRuntime(m.runtimeMinutes), m.originalLanguage?.toUpperCase()]}
            actions={
              <>
                <PlayButton mediaId={m.id} title={m.title} onHeld={setHeld} />
                <GetButton target={{ mediaId: m.id, title: m.title }} />
                <AddToWantedButton target={{ mediaId: m.id, title: m.title }} />
                <WatchedButton mediaId={m.id} title={m.title} quiet={held()} />
                <WatchLaterButton mediaId={m.id} title={m.title} />
                <FavoriteButton mediaId={m.id} title={m.title} />
                <AddToCollection mediaId={m.id} title={m.title} />
              </>
            }
            below={
              <div class="mt-8 flex flex-wrap items-center gap-x-8 gap-y-4">
                <RatingControl mediaId={m.id} title={m.title} />
                <dl class="flex flex-wrap gap-x-8 gap-y-2 text-sm">
                  <Show when={m.releaseDate}>
                    <div>
                      <dt class="text-ink-subtle">Released</dt>
                      <dd class="text-ink">{formatDate(m.releaseDate)}</dd>
                    </div>
                  </Show>
                  <Show when={m.franchises?.length}>
                    <div>
                      <dt class="text-ink-subtle">Franchise</dt>
                      <dd class="text-ink">{m.franchises!.join(', ')}</dd>
                    </div>
                  </Show>
                  <Show when={m.originalTitle && m.originalTitle !== m.title}>
                    <div>
                      <dt class="text-ink-subtle">Original title</dt>
                      <dd class="text-ink">{m.originalTitle}</dd>
                    </div>
                  </Show>
                </dl>
              </div>
            }
          />
          <Show when={m.credits?.cast?.length}>
            <CastRow cast={m.credits!.cast!} />
          </Show>
          <Show when={m.similar?.length}>
            <MediaRow title="More like this" titles={m.similar!} />
          </Show>
        </>
      )}
    </DetailFrame>
  );
}
