import { A, useParams } from '@solidjs/router';
import { For, onMount, Show } from 'solid-js';
import { createApiQuery } from '../../api/queryClient';
import { fetchGame, titleKeys } from '../../api/titles';
import { FavoriteButton, WatchLaterButton } from '../../components/detail/actions';
import { AddToCollection } from '../../components/detail/AddToCollection';
import { BacklogPanel } from '../../components/detail/BacklogPanel';
import { DetailFrame } from '../../components/detail/DetailFrame';
import { RatingControl } from '../../components/detail/RatingControl';
import { TitleHeader } from '../../components/detail/TitleHeader';
import { MediaRow } from '../../components/media/MediaRow';
import { formatDate } from '../../lib/format';
import { favorites, watchLater } from '../../stores/membership';

export default function GameDetailPage() {
  const params = useParams<{ id: string }>();
  const game = createApiQuery(() => {
    const id = params.id;
    return { queryKey: titleKeys.game(id), queryFn: () => fetchGame(id) };
  });
  onMount(() => void Promise.all([watchLater.ensureLoaded(), favorites.ensureLoaded()]).catch(() => undefined));

  return (
    <DetailFrame query={game} noun="game" backHref="/app/games">
      {(g) => (
        <>
          <TitleHeader
            title={g}
            genres={g.genres}
            facts={['Game', g.year ? String(g.year) : undefined, g.developer, g.category && g.category !== 'main_game' ? g.category.replace(/_/g, ' ') : undefined]}
            actions={
              <>
                <WatchLaterButton mediaId={g.id} title={g.title} />
                <FavoriteButton mediaId={g.id} title={g.title} />
                <AddToCollection mediaId={g.id} title={g.title} />
                <RatingControl mediaId={g.id} title={g.title} />
              </>
            }
          />
          <div class="mb-14 grid gap-8 lg:grid-cols-[1.4fr_1fr]">
            <BacklogPanel mediaId={g.id} title={g.title} media={{ id: g.id, mediaType: 'game', title: g.title, year: g.year ?? null, posterPath: null }} />
            <section aria-labelledby="platforms-title" class="rounded-3xl border border-line bg-surface p-6 sm:p-8">
              <h2 id="platforms-title" class="text-lg font-medium tracking-tight text-ink">Platforms</h2>
              <ul class="mt-5 flex flex-col divide-y divide-line">
                <For each={g.platforms} fallback={<li class="text-sm text-ink-muted">No platforms listed.</li>}>
                  {(platform) => (
                    <li class="flex items-center justify-between gap-4 py-2.5 text-sm">
                      <span class="text-ink">{platform.name}</span>
                      <span class="text-ink-subtle">{platform.releaseDate ? formatDate(platform.releaseDate) : ''}</span>
                    </li>
                  )}
                </For>
              </ul>
              <Show when={g.franchises?.length}>
                <p class="mt-6 text-sm text-ink-subtle">
                  Franchise: <span class="text-ink">{g.franchises!.join(', ')}</span>
                </p>
              </Show>
              <Show when={g.parent}>
                {(parent) => (
                  <p class="mt-2 text-sm text-ink-subtle">
                    Add-on for <A href={`/app/games/${parent().id}`} class="text-accent-ink hover:underline">{parent().title}</A>
                  </p>
                )}
              </Show>
            </section>
          </div>
          <div class="flex flex-col gap-12">
            <Show when={g.expansions?.length}>
              <MediaRow title="Expansions" titles={g.expansions!} />
            </Show>
            <Show when={g.dlcs?.length}>
              <MediaRow title="DLC" titles={g.dlcs!} />
            </Show>
            <Show when={g.similar?.length}>
              <MediaRow title="More like this" titles={g.similar!} />
            </Show>
          </div>
        </>
      )}
    </DetailFrame>
  );
}
