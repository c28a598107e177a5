import { RatingGroup } from '@ark-ui/solid/rating-group';
import Star from 'lucide-solid/icons/star';
import X from 'lucide-solid/icons/x';
import { createSignal, Index, Show } from 'solid-js';
import { createApiQuery, setQueryData } from '../../api/queryClient';
import { fetchMyRating, rate, ratingKeys, unrate } from '../../api/ratings';
import { formatStarsOf5, fromStars, toStars } from '../../lib/format';
import { optimistic } from '../../lib/optimistic';

/** Your rating: click a star (or a half), arrows with the keyboard; optimistic with rollback. */
export function RatingControl(props: { mediaId: number; title: string }) {
  const query = createApiQuery(() => {
    const mediaId = props.mediaId;
    return { queryKey: ratingKeys.mine(mediaId), queryFn: () => fetchMyRating(mediaId) };
  });
  const setRating = (value: number | null) => setQueryData<number | null>(ratingKeys.mine(props.mediaId), () => value);
  const [pending, setPending] = createSignal(false);

  const save = async (next: number | null) => {
    const previous = query.data ?? null;
    if (next === previous) return;
    setPending(true);
    await optimistic({
      apply: () => setRating(next),
      commit: () =>
        next === null ? unrate(props.mediaId) : rate(props.mediaId, next),
      rollback: () => setRating(previous),
      failure: `Couldn't save your rating of “${props.title}”`,
    });
    setPending(false);
  };

  return (
    <div class="flex h-11 items-center gap-2 rounded-full border border-line-strong bg-white/5 pl-4 pr-2 backdrop-blur-md" aria-busy={pending()}>
      <RatingGroup.Root
        count={5}
        allowHalf
        value={toStars(query.data)}
        disabled={query.data === undefined && !query.error}
        onValueChange={(details) => void save(fromStars(details.value))}
        class="flex items-center gap-2"
      >
        <RatingGroup.Label class="text-sm text-ink-muted">Your rating</RatingGroup.Label>
        <RatingGroup.Control class="flex items-center">
          <RatingGroup.Context>
            {(api) => (
              <Index each={api().items}>
                {(index) => (
                  <RatingGroup.Item index={index()} class="cursor-pointer rounded p-0.5 outline-none data-[focus-visible]:ring-2 data-[focus-visible]:ring-accent">
                    <RatingGroup.ItemContext>
                      {(item) => (
                        <span class="relative block size-5">
                          <Star class="absolute inset-0 size-5 text-ink-subtle/60" strokeWidth={1.5} />
                          <span class="absolute inset-0 overflow-hidden" style={{ width: item().half ? '50%' : item().highlighted ? '100%' : '0%' }}>
                            <Star class="size-5 fill-accent text-accent" strokeWidth={1.5} />
                          </span>
                        </span>
                      )}
                    </RatingGroup.ItemContext>
                  </RatingGroup.Item>
                )}
              </Index>
            )}
          </RatingGroup.Context>
        </RatingGroup.Control>
        <RatingGroup.HiddenInput />
      </RatingGroup.Root>
      <span class="min-w-14 text-right text-sm tabular-nums text-ink" aria-live="polite" data-testid="your-rating">
        {query.data ? formatStarsOf5(query.data) : ''}
      </span>
      <Show when={query.data}>
        <button type="button" class="grid size-7 place-items-center rounded-full text-ink-subtle hover:bg-hover hover:text-ink" aria-label="Clear your rating" onClick={() => void save(null)}>
          <X class="size-3.5" strokeWidth={2} />
        </button>
      </Show>
    </div>
  );
}
