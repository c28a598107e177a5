import { A } from '@solidjs/router';
import { createSignal, Show } from 'solid-js';
import { mediaTypeLabel, titleHref } from '../../lib/format';
import { placeholderArt } from '../../lib/placeholder';
import { eventTime, precisionNote, reasonBadge as badge, type CalendarEvent } from './state';

const KIND: Record<CalendarEvent['kind'], string> = {
  movie_release: 'Movie',
  episode_air: 'Episode',
  season_premiere: 'Season premiere',
  game_release: 'Game',
  dlc_release: 'DLC',
};

function detail(event: CalendarEvent): string {
  const parts = [KIND[event.kind] ?? mediaTypeLabel(event.media.mediaType)];
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

/** A release inside a month cell: a tiny poster and the display title. */
export function EventChip(props: { event: CalendarEvent; tabbable: boolean }) {
  return (
    <A
      href={titleHref(props.event.media)}
      tabindex={props.tabbable ? 0 : -1}
      title={`${props.event.title} — ${detail(props.event)}`}
      class="flex min-w-0 items-center gap-1.5 rounded-md px-1 py-0.5 text-xs text-ink-muted transition-colors hover:bg-hover hover:text-ink focus-visible:outline-2 focus-visible:outline-accent"
      classList={{ 'ring-1 ring-inset ring-accent/30': !!badge(props.event) }}
    >
      <span class="w-4 shrink-0">
        <Thumb media={props.event.media} class="rounded-[3px]" />
      </span>
      <span class="truncate">{props.event.title}</span>
      <Show when={props.event.airAt && eventTime(props.event)}>
        {(time) => <span class="ml-auto shrink-0 text-[10px] tabular-nums text-ink-subtle">{time()}</span>}
      </Show>
    </A>
  );
}

/** A release in a list (week view, phone agenda): poster, title, what it is. */
export function EventRow(props: { event: CalendarEvent }) {
  return (
    <A
      href={titleHref(props.event.media)}
      class="group flex items-center gap-4 rounded-2xl border border-line bg-surface p-3 transition-[border-color,transform] duration-200 hover:-translate-y-px hover:border-line-strong focus-visible:outline-2 focus-visible:outline-accent"
    >
      <span class="w-11 shrink-0">
        <Thumb media={props.event.media} class="rounded-md" />
      </span>
      <span class="min-w-0 flex-1">
        <span class="block truncate text-sm font-medium text-ink">{props.event.title}</span>
        <span class="mt-0.5 block truncate text-xs text-ink-subtle">{detail(props.event)}</span>
      </span>
      <Show when={badge(props.event)}>
        {(text) => (
          <span class="max-w-[45%] shrink-0 truncate rounded-full border border-accent/30 bg-accent-soft px-2 py-0.5 text-[11px] text-accent-ink" title={text()}>
            {text()}
          </span>
        )}
      </Show>
    </A>
  );
}
