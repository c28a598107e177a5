import { A } from '@solidjs/router';
import Play from 'lucide-solid/icons/play';
import { createSignal, Show } from 'solid-js';
import { placeholderArt } from '../../lib/placeholder';
import { eventHref, eventTime, isVideoEvent, precisionNote, reasonBadge as badge, type CalendarEvent } from './state';

const KIND: Record<CalendarEvent['kind'], string> = {
  movie_release: 'Movie',
  episode_air: 'Episode',
  season_premiere: 'Season premiere',
  game_release: 'Game',
  dlc_release: 'DLC',
  video_release: 'Video',
};

/** A video's kind in words: "Video", and on a chip of its own colour (see VideoChip). */
export const VIDEO_LABEL = KIND.video_release;

function detail(event: CalendarEvent): string {
  const parts = [KIND[event.kind] ?? 'Release'];
  const time = eventTime(event);
  if (time) parts.unshift(time);
  if (event.episode?.name) parts.push(event.episode.name);
  if (event.platform) parts.push(event.platform.name);
  const note = precisionNote(event);
  if (note) parts.push(note);
  return parts.join(' · ');
}

/**
 * A thumbnail too small for the shared Poster's initials: the artwork, or just
 * the title's generated gradient.
 */
function Thumb(props: { media: CalendarEvent['media']; class: string }) {
  const [failed, setFailed] = createSignal(false);
  return (
    <span
      aria-hidden="true"
      class={`block aspect-[2/3] w-full overflow-hidden ring-1 ring-inset ring-white/5 ${props.class}`}
      style={{ background: placeholderArt(props.media.title).background }}
    >
      <Show when={props.media.posterUrl && !failed()}>
        <img src={props.media.posterUrl!} alt="" loading="lazy" decoding="async" class="size-full object-cover" onError={() => setFailed(true)} />
      </Show>
    </span>
  );
}

/** A video's thumbnail (16:9) at chip size, a play glyph over it so it reads as a video even without art. */
function VideoThumb(props: { media: CalendarEvent['media']; large?: boolean }) {
  const [failed, setFailed] = createSignal(false);
  return (
    <span
      aria-hidden="true"
      class={`relative grid aspect-video w-full place-items-center overflow-hidden ring-1 ring-inset ring-white/10 ${props.large ? 'rounded-md' : 'rounded-[3px]'}`}
      style={{ background: placeholderArt(props.media.title).background }}
    >
      <Show when={props.media.posterUrl && !failed()}>
        <img src={props.media.posterUrl!} alt="" loading="lazy" decoding="async" class="absolute inset-0 size-full object-cover" onError={() => setFailed(true)} />
      </Show>
      <Play class={`relative text-white drop-shadow ${props.large ? 'size-4' : 'size-2'}`} fill="currentColor" strokeWidth={0} />
    </span>
  );
}

/** "Video", on the videos' own colour: a new upload of a followed channel, not a title's release. */
/** "On Living room": a media server of the household holds it (the episode itself, for an episode). */
export function OwnedChip(props: { servers: readonly string[] | undefined; class?: string }) {
  return (
    <Show when={props.servers?.length}>
      <span data-testid="event-owned" class={`inline-flex max-w-full items-center truncate rounded-full border border-line-strong bg-black/55 px-2 py-0.5 text-[11px] font-medium text-ink backdrop-blur-md ${props.class ?? ''}`}>
        On {props.servers!.join(', ')}
      </span>
    </Show>
  );
}

export function VideoChip(props: { class?: string }) {
  return (
    <span class={`inline-flex shrink-0 items-center gap-1 rounded-md bg-secondary px-1.5 py-0.5 text-[10px] font-semibold uppercase tracking-wide text-white ${props.class ?? ''}`}>
      <Play class="size-2.5" fill="currentColor" strokeWidth={0} />
      {VIDEO_LABEL}
    </span>
  );
}

/** A video on its own colour; a title that is yours (followed, saved, with someone you follow) ringed. */
const chipTone = (event: CalendarEvent) =>
  isVideoEvent(event) ? 'bg-secondary-soft ring-1 ring-inset ring-secondary/60' : badge(event) ? 'ring-1 ring-inset ring-accent/30' : '';

/** A release inside a month cell: a tiny poster (a video: its thumbnail, on the videos' colour) and the display title. */
export function EventChip(props: { event: CalendarEvent; tabbable: boolean }) {
  const video = () => isVideoEvent(props.event);
  return (
    <A
      href={eventHref(props.event)}
      tabindex={props.tabbable ? 0 : -1}
      title={`${props.event.title} — ${detail(props.event)}`}
      data-kind={props.event.kind}
      class={`flex min-w-0 items-center gap-1.5 rounded-md px-1 py-0.5 text-xs text-ink-muted transition-colors hover:bg-hover hover:text-ink focus-visible:outline-2 focus-visible:outline-accent ${chipTone(props.event)}`}
    >
      <Show
        when={video()}
        fallback={
          <span class="w-4 shrink-0">
            <Thumb media={props.event.media} class="rounded-[3px]" />
          </span>
        }
      >
        <span class="w-6 shrink-0">
          <VideoThumb media={props.event.media} />
        </span>
        <span class="sr-only">{VIDEO_LABEL}: </span>
      </Show>
      <span class="truncate">{props.event.title}</span>
      <Show when={props.event.airAt && eventTime(props.event)}>
        {(time) => <span class="ml-auto shrink-0 text-[10px] tabular-nums text-ink-subtle">{time()}</span>}
      </Show>
    </A>
  );
}

/** A release in a list (the phone's agenda): poster (a video: its thumbnail), title, what it is. */
export function EventRow(props: { event: CalendarEvent }) {
  const video = () => isVideoEvent(props.event);
  return (
    <A
      href={eventHref(props.event)}
      data-kind={props.event.kind}
      class="group flex items-center gap-4 rounded-2xl border border-line bg-surface p-3 transition-[border-color,transform] duration-200 hover:-translate-y-px hover:border-line-strong focus-visible:outline-2 focus-visible:outline-accent"
    >
      <Show
        when={video()}
        fallback={
          <span class="w-11 shrink-0">
            <Thumb media={props.event.media} class="rounded-md" />
          </span>
        }
      >
        <span class="w-20 shrink-0">
          <VideoThumb media={props.event.media} large />
        </span>
      </Show>
      <span class="min-w-0 flex-1">
        <span class="block truncate text-sm font-medium text-ink">{props.event.title}</span>
        <span class="mt-0.5 block truncate text-xs text-ink-subtle">{detail(props.event)}</span>
      </span>
      <Show when={video()}>
        <VideoChip />
      </Show>
      <Show when={!video() && badge(props.event)}>
        {(text) => (
          <span class="max-w-[45%] shrink-0 truncate rounded-full border border-accent/30 bg-accent-soft px-2 py-0.5 text-[11px] text-accent-ink" title={text()}>
            {text()}
          </span>
        )}
      </Show>
    </A>
  );
}
