import { createSignal, For, Show } from 'solid-js';
import { placeholderArt } from '../../lib/placeholder';
import { DayHeading } from './Agenda';
import type { IsoDate } from './dates';
import { OwnedChip, VideoChip } from './EventLink';
import { APPROXIMATE_NOTE, eventTime, isVideoEvent, type CalendarEvent } from './state';

/**
 * The picture of a release in the week: the episode's still, else the show's backdrop, else its poster
 * (a video's poster is its 16:9 thumbnail).
 */
export function eventArt(event: CalendarEvent): string | null | undefined {
  return event.episode?.stillUrl ?? event.media.backdropUrl ?? event.media.posterUrl;
}

/** "S03E01 · Hello, Ms. Cobel": the episode under its show; a video's channel; a release's kind otherwise. */
export function eventSubtitle(event: CalendarEvent): string {
  if (isVideoEvent(event)) return event.channel?.title ?? 'A channel you follow';
  const ep = event.episode;
  if (event.kind === 'season_premiere') return ep?.seasonNumber != null ? `Season ${ep.seasonNumber} premiere` : 'Season premiere';
  if (!ep || ep.seasonNumber == null || ep.episodeNumber == null) return event.platform?.name ?? '';
  const code = `S${String(ep.seasonNumber).padStart(2, '0')}E${String(ep.episodeNumber).padStart(2, '0')}`;
  return ep.name ? `${code} · ${ep.name}` : code;
}

/** A wide picture with the title's gradient behind it (and instead of it when the image fails). */
export function Art(props: { src: string | null | undefined; title: string; class?: string }) {
  const [failed, setFailed] = createSignal(false);
  return (
    <span aria-hidden="true" class={`block overflow-hidden ${props.class ?? ''}`} style={{ background: placeholderArt(props.title).background }}>
      <Show when={props.src && !failed()}>
        <img src={props.src!} alt="" loading="lazy" decoding="async" class="size-full object-cover" onError={() => setFailed(true)} />
      </Show>
    </span>
  );
}

/** "21:00", "~21:00" (the network's usual slot) or "Anytime", over the art. */
function TimeChip(props: { event: CalendarEvent }) {
  const time = () => eventTime(props.event);
  return (
    <Show when={time()}>
      <span
        class="absolute left-2 top-2 rounded-md bg-black/70 px-1.5 py-0.5 text-[11px] font-medium tabular-nums text-white backdrop-blur-sm"
        title={props.event.airTimeApproximate ? `Around ${time()}, ${APPROXIMATE_NOTE}` : undefined}
      >
        {props.event.airTimeApproximate ? `~${time()}` : time()}
      </span>
    </Show>
  );
}

/** One release of the week: its art with the air time, the title and the episode; opens its details. */
function WeekCard(props: { event: CalendarEvent; onOpen: (event: CalendarEvent) => void }) {
  return (
    <button
      type="button"
      onClick={() => props.onOpen(props.event)}
      data-kind={props.event.kind}
      aria-label={`${isVideoEvent(props.event) ? 'Video: ' : ''}${props.event.title}${eventTime(props.event) ? `, ${eventTime(props.event)}` : ''}`}
      class="group block w-full overflow-hidden rounded-2xl border border-line bg-surface text-left transition-[border-color,transform] duration-200 hover:-translate-y-px hover:border-line-strong focus-visible:outline-2 focus-visible:outline-accent"
    >
      <span class="relative block">
        <Art src={eventArt(props.event)} title={props.event.media.title} class="aspect-video w-full" />
        <TimeChip event={props.event} />
        <Show when={isVideoEvent(props.event)}>
          <VideoChip class="absolute right-2 top-2 shadow-float" />
        </Show>
        <OwnedChip servers={props.event.ownedOn} class="absolute bottom-2 right-2" />
      </span>
      <span class="block px-3 py-2.5">
        <span class="block truncate text-sm font-medium text-ink">{props.event.media.title}</span>
        <span class="mt-0.5 block truncate text-xs text-ink-subtle">{eventSubtitle(props.event) || '\u00a0'}</span>
      </span>
    </button>
  );
}

/**
 * Seven days from the chosen one (today by default), each day's releases as art cards: timed ones first in
 * air-time order, then "Anytime" (streaming drops). Quiet days stay, so the week reads day by day.
 */
export function WeekView(props: {
  days: IsoDate[];
  today: IsoDate;
  events: Map<IsoDate, CalendarEvent[]>;
  label: string;
  onOpen: (event: CalendarEvent) => void;
}) {
  return (
    <ol aria-label={props.label} class="flex flex-col gap-7">
      <For each={props.days}>
        {(day) => (
          <li aria-labelledby={`week-${day}`}>
            <DayHeading id={`week-${day}`} day={day} today={props.today} />
            <Show
              when={props.events.get(day)?.length}
              fallback={<p class="rounded-2xl border border-dashed border-line px-4 py-3 text-sm text-ink-subtle">Nothing airs.</p>}
            >
              <ul class="grid grid-cols-2 gap-3 md:grid-cols-3 xl:grid-cols-4">
                <For each={props.events.get(day)}>{(event) => <li><WeekCard event={event} onOpen={props.onOpen} /></li>}</For>
              </ul>
            </Show>
          </li>
        )}
      </For>
    </ol>
  );
}
