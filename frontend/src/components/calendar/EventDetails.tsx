import { A } from '@solidjs/router';
import { Show } from 'solid-js';
import { buttonStyles } from '../ui/button';
import { Modal } from '../ui/Modal';
import { OwnedChip, VideoChip } from './EventLink';
import { APPROXIMATE_NOTE, dayLabel, eventHref, eventTime, isVideoEvent, precisionNote, reasonBadge, type CalendarEvent } from './state';
import { Art, eventSubtitle } from './WeekView';

/** "Wednesday, November 25 · around 21:00 (the network's usual time)", "… · Anytime", or the expected window. */
export function whenLine(event: CalendarEvent): string {
  const time = eventTime(event);
  const note = precisionNote(event);
  const parts = [note ?? dayLabel(event.date)];
  if (time && event.airTimeApproximate) parts.push(`around ${time} (${APPROXIMATE_NOTE})`);
  else if (time) parts.push(time);
  return parts.join(' · ');
}

/** What the details say under the dates: the episode's synopsis, or where a video comes from. */
function synopsis(event: CalendarEvent): string {
  if (isVideoEvent(event)) return `A new video from ${event.channel?.title ?? 'a channel you follow'}. Its channel's page plays it once you Get it.`;
  return event.episode?.overview || 'No synopsis yet.';
}

/** "Open Severance", or for a video its channel (videos have no page of their own). */
const openLabel = (event: CalendarEvent) =>
  isVideoEvent(event) ? (event.channel ? `Open ${event.channel.title}` : 'Open channels') : `Open ${event.media.title}`;

/**
 * A release opened from the week: the show's backdrop, the episode's still and synopsis, when it airs,
 * why it is yours, and the way to the title (a video: to its channel).
 */
export function EventDetails(props: { event: CalendarEvent | undefined; onClose: () => void }) {
  return (
    <Show when={props.event}>
      {(event) => (
        <Modal open onOpenChange={(open) => !open && props.onClose()} title={event().title} description={eventSubtitle(event()) || undefined} size="md">
          <div class="flex flex-col gap-5">
            <Art src={event().media.backdropUrl ?? event().episode?.stillUrl ?? event().media.posterUrl} title={event().media.title} class="aspect-[21/9] w-full rounded-2xl" />
            <div class="flex flex-col gap-4 sm:flex-row">
              <Show when={event().episode?.stillUrl && event().media.backdropUrl}>
                <Art src={event().episode!.stillUrl} title={event().media.title} class="aspect-video w-full shrink-0 rounded-xl sm:w-48" />
              </Show>
              <div class="min-w-0 flex-1">
                <p data-testid="event-when" class="text-sm font-medium text-ink">{whenLine(event())}</p>
                <div class="mt-2 flex flex-wrap items-center gap-2 empty:hidden">
                  <Show when={isVideoEvent(event())}>
                    <VideoChip />
                  </Show>
                  <Show when={reasonBadge(event())}>
                    {(label) => <span class="inline-block rounded-full border border-accent/30 bg-accent-soft px-2 py-0.5 text-[11px] text-accent-ink">{label()}</span>}
                  </Show>
                  <OwnedChip servers={event().ownedOn} />
                </div>
                <p class="mt-3 text-sm leading-relaxed text-ink-muted">{synopsis(event())}</p>
              </div>
            </div>
            <div class="flex flex-wrap justify-end gap-3">
              <button type="button" class={buttonStyles.secondary} onClick={() => props.onClose()}>Close</button>
              <A href={eventHref(event())} class={buttonStyles.primary} onClick={() => props.onClose()}>
                {openLabel(event())}
              </A>
            </div>
          </div>
        </Modal>
      )}
    </Show>
  );
}
