import Bookmark from 'lucide-solid/icons/bookmark';
import BookmarkCheck from 'lucide-solid/icons/bookmark-check';
import Heart from 'lucide-solid/icons/heart';
import { Show } from 'solid-js';
import { favorites, watchLater } from '../../stores/membership';
import { buttonStyles } from '../ui/button';

export const glassButton = `${buttonStyles.secondary} h-11 bg-white/5 backdrop-blur-md`;

export function WatchLaterButton(props: { mediaId: number; title: string }) {
  const saved = () => watchLater.has(props.mediaId);
  return (
    <button type="button" class={glassButton} aria-pressed={saved()} onClick={() => void watchLater.toggle(props.mediaId, props.title)}>
      <Show when={saved()} fallback={<Bookmark class="size-4" strokeWidth={1.75} />}>
        <BookmarkCheck class="size-4 text-accent" strokeWidth={2} />
      </Show>
      {saved() ? 'In watch later' : 'Watch later'}
    </button>
  );
}

export function FavoriteButton(props: { mediaId: number; title: string }) {
  const on = () => favorites.has(props.mediaId);
  return (
    <button
      type="button"
      class={`${buttonStyles.icon} size-11 border border-line-strong bg-white/5 backdrop-blur-md`}
      aria-pressed={on()}
      aria-label={on() ? 'Remove from favorites' : 'Add to favorites'}
      title={on() ? 'Favorite' : 'Add to favorites'}
      onClick={() => void favorites.toggle(props.mediaId, props.title)}
    >
      <Heart class={`size-[18px] transition-colors ${on() ? 'fill-[#ff4d8d] text-[#ff4d8d]' : ''}`} strokeWidth={1.75} />
    </button>
  );
}
