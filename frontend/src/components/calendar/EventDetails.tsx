import { A } from '@solidjs/router';
import { Show } from 'solid-js';
import { titleHref } from '../../lib/format';
import { buttonStyles } from '../ui/button';
import { Modal } from '../ui/Modal';
import { APPROXIMATE_NOTE, dayLabel, eventTime, precisionNote, reasonBadge, type CalendarEvent } from './state';
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

/**
 * A release opened from the week: the show's backdrop, the episode's still and synopsis, when it airs,
 * why it is yours, and the way to the title.
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
                <Show when={reasonBadge(event())}>
                  {(label) => <span class="mt-2 inline-block rounded-full border border-accent/30 bg-accent-soft px-2 py-0.5 text-[11px] text-accent-ink">{label()}</span>}
                </Show>
                <p class="mt-3 text-sm leading-relaxed text-ink-muted">{event().episode?.overview || 'No synopsis yet.'}</p>
              </div>
            </div>
            <div class="flex flex-wrap justify-end gap-3">
              <button type="button" class={buttonStyles.secondary} onClick={() => props.onClose()}>Close</button>
              <A href={titleHref(event().media)} class={buttonStyles.primary} onClick={() => props.onClose()}>
                Open {event().media.title}
              </A>
            </div>
          </div>
        </Modal>
      )}
    </Show>
  );
}
