import { A } from '@solidjs/router';
import Bookmark from 'lucide-solid/icons/bookmark';
import BookmarkCheck from 'lucide-solid/icons/bookmark-check';
import Check from 'lucide-solid/icons/check';
import Download from 'lucide-solid/icons/download';
import Eye from 'lucide-solid/icons/eye';
import LoaderCircle from 'lucide-solid/icons/loader-circle';
import Play from 'lucide-solid/icons/play';
import { createSignal, Show } from 'solid-js';
import type { Video } from '../../api/channels';
import { formatRelative } from '../../lib/format';
import { watchLater } from '../../stores/membership';
import { watchHref } from '../library/labels';
import { patchVideo, setWatched, startGet } from './videoCache';
import { channelHref, downloadText, videoPhase, viewsLabel, watchPercent } from './videoState';
import { VideoThumb } from './VideoThumb';

const pill =
  'inline-flex h-8 shrink-0 items-center gap-1.5 rounded-full px-3 text-xs font-medium transition-colors duration-200 disabled:cursor-not-allowed disabled:opacity-50';
const pillStyles = {
  play: `${pill} bg-accent text-on-accent hover:bg-accent/85`,
  get: `${pill} border border-line-strong bg-raised text-ink hover:bg-hover`,
  watched: `${pill} border border-ok/40 bg-ok/10 text-ok hover:bg-ok/15`,
  unwatched: `${pill} border border-line text-ink-muted hover:border-line-strong hover:text-ink`,
};

const STATUS_TONE = {
  none: 'text-ink-subtle',
  active: 'text-accent-ink',
  filing: 'text-accent-ink',
  ready: 'text-ok',
  stopped: 'text-danger',
} as const;

/**
 * A video of a followed channel, Netflix-style: its 16:9 thumbnail (your progress along the bottom, a check
 * once watched, watch later on it), then Play once it is in the library or Get (its download's state after),
 * and watched. The thumbnail plays it when it can, else opens it on YouTube.
 */
export function VideoCard(props: { video: Video; showChannel?: boolean }) {
  const video = () => props.video;
  const phase = () => videoPhase(video());
  const playHref = () => (video().libraryItemId ? watchHref(video().libraryItemId!) : undefined);
  const percent = () => watchPercent(video());
  const meta = () => [formatRelative(video().publishedAt), viewsLabel(video().views)].filter(Boolean).join(' · ');
  const [getting, setGetting] = createSignal(false);
  const [marking, setMarking] = createSignal(false);

  const get = async () => {
    setGetting(true);
    await startGet(video());
    setGetting(false);
  };
  const toggleWatched = async () => {
    setMarking(true);
    await setWatched(video(), !video().watched);
    setMarking(false);
  };

  return (
    <article data-testid="video-card" aria-label={video().title} class="group/video relative flex w-full flex-col">
      <div class="relative">
        <a
          href={playHref() ?? video().url}
          target={playHref() ? undefined : '_blank'}
          rel={playHref() ? undefined : 'noopener noreferrer'}
          tabindex="-1"
          aria-hidden="true"
          class="block overflow-hidden rounded-xl shadow-[0_10px_30px_-12px_rgb(0_0_0/0.7)] ring-1 ring-inset ring-white/5 transition-[transform,box-shadow] duration-300 ease-out-soft group-hover/video:-translate-y-1 group-hover/video:shadow-[0_18px_40px_-14px_rgb(0_183_255/0.35)]"
        >
          <VideoThumb src={video().thumbnailUrl} title={video().title} class="transition-transform duration-500 ease-out-soft group-hover/video:scale-[1.03]" />
          <span class="pointer-events-none absolute inset-0 bg-linear-to-t from-black/70 via-black/5 to-transparent opacity-60 transition-opacity duration-300 group-hover/video:opacity-100" />
          <Show when={playHref()}>
            <span class="absolute inset-0 grid place-items-center opacity-0 transition-opacity duration-300 group-hover/video:opacity-100">
              <span class="grid size-12 place-items-center rounded-full bg-black/55 text-white ring-1 ring-white/25 backdrop-blur-md">
                <Play class="ml-0.5 size-5" fill="currentColor" strokeWidth={1.5} />
              </span>
            </span>
          </Show>
          <Show when={percent() !== undefined}>
            <span class="absolute inset-x-0 bottom-0 h-1 bg-white/20">
              <span class="block h-full bg-accent" style={{ width: `${percent()}%` }} />
            </span>
          </Show>
        </a>
        <Show when={video().watched}>
          <span class="pointer-events-none absolute left-2 top-2 inline-flex items-center gap-1 rounded-full bg-black/65 px-2 py-0.5 text-[11px] font-medium text-white backdrop-blur-md">
            <Check class="size-3 text-ok" strokeWidth={3} />
            Watched
          </span>
        </Show>
        <WatchLaterToggle video={video()} />
      </div>

      <h3 class="mt-3 line-clamp-2 text-sm font-medium leading-snug text-ink" title={video().title}>
        <a href={video().url} target="_blank" rel="noopener noreferrer" class="transition-colors hover:text-accent-ink" aria-label={`${video().title} (on YouTube)`}>
          {video().title}
        </a>
      </h3>
      <p class="mt-1 truncate text-xs text-ink-subtle">
        <Show when={props.showChannel}>
          <A href={channelHref(video().channelId)} class="text-ink-muted transition-colors hover:text-accent-ink">
            {video().channelTitle}
          </A>
          {' · '}
        </Show>
        {meta()}
      </p>
      <Show when={percent() !== undefined}>
        <div class="sr-only" role="progressbar" aria-label={`${video().title} progress`} aria-valuemin={0} aria-valuemax={100} aria-valuenow={percent()} />
      </Show>

      <div class="mt-3 flex flex-wrap items-center gap-2">
        <Show
          when={playHref()}
          fallback={
            <button
              type="button"
              data-testid="video-get"
              class={pillStyles.get}
              disabled={getting() || phase() === 'active' || phase() === 'filing'}
              aria-label={`Get “${video().title}”`}
              title="Download it into your library"
              onClick={() => void get()}
            >
              <Show when={getting() || phase() === 'active'} fallback={<Download class="size-3.5" strokeWidth={2} />}>
                <LoaderCircle class="size-3.5 animate-spin" strokeWidth={2} />
              </Show>
              {phase() === 'stopped' ? 'Get again' : 'Get'}
            </button>
          }
        >
          {(href) => (
            <A href={href()} data-testid="video-play" class={pillStyles.play} aria-label={`Play “${video().title}”`}>
              <Play class="size-3.5" fill="currentColor" strokeWidth={1.5} />
              {video().progress?.positionSeconds && !video().watched ? 'Resume' : 'Play'}
            </A>
          )}
        </Show>
        <button
          type="button"
          data-testid="video-watched"
          class={video().watched ? pillStyles.watched : pillStyles.unwatched}
          aria-pressed={video().watched}
          title={video().watched ? 'Mark unwatched' : 'Mark watched'}
          disabled={marking()}
          onClick={() => void toggleWatched()}
        >
          <Show when={video().watched} fallback={<Eye class="size-3.5" strokeWidth={2} />}>
            <Check class="size-3.5" strokeWidth={2.5} />
          </Show>
          {video().watched ? 'Watched' : 'Mark watched'}
        </button>
        <Show when={downloadText(video())}>
          {(text) => (
            <span data-testid="video-status" class={`min-w-0 truncate text-xs tabular-nums ${STATUS_TONE[phase()]}`}>
              {text()}
            </span>
          )}
        </Show>
      </div>
    </article>
  );
}

/** Watch later, on the thumbnail as on posters: the shared list when it is loaded, else what the video says. */
function WatchLaterToggle(props: { video: Video }) {
  const saved = () => (watchLater.ready() ? watchLater.has(props.video.mediaId) : props.video.onWatchLater);
  const toggle = async () => {
    const next = !saved();
    patchVideo(props.video.mediaId, { onWatchLater: next });
    if (!(await watchLater.set(props.video.mediaId, props.video.title, next))) patchVideo(props.video.mediaId, { onWatchLater: !next });
  };
  return (
    <button
      type="button"
      aria-pressed={saved()}
      aria-label={saved() ? `Remove ${props.video.title} from watch later` : `Add ${props.video.title} to watch later`}
      title={saved() ? 'In watch later' : 'Watch later'}
      onClick={() => void toggle()}
      class="absolute right-2 top-2 grid size-8 place-items-center rounded-full bg-black/55 text-white backdrop-blur-md transition-[opacity,background-color] duration-200 hover:bg-black/75 focus-visible:opacity-100 group-hover/video:opacity-100"
      classList={{ 'opacity-0': !saved(), 'opacity-100': saved() }}
    >
      <Show when={saved()} fallback={<Bookmark class="size-4" strokeWidth={1.75} />}>
        <BookmarkCheck class="size-4 text-accent" strokeWidth={2} />
      </Show>
    </button>
  );
}
