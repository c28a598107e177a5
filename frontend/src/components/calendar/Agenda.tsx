import { For, Show } from 'solid-js';
import type { IsoDate } from './dates';
import { EventRow } from './EventLink';
import { dayLabel, type CalendarEvent } from './state';

/**
 * Releases listed day by day: the week view, and the month view on a phone
 * (where seven columns would be too narrow to read). `showEmptyDays` lists
 * quiet days too, so a week always reads Monday to Sunday.
 */
export function Agenda(props: {
  days: IsoDate[];
  today: IsoDate;
  events: Map<IsoDate, CalendarEvent[]>;
  label: string;
  showEmptyDays?: boolean;
}) {
  const shown = () => (props.showEmptyDays ? props.days : props.days.filter((day) => props.events.has(day)));
  return (
    <ol aria-label={props.label} class="flex flex-col gap-6">
      <For each={shown()} fallback={<li class="text-sm text-ink-subtle">No releases in this period.</li>}>
        {(day) => (
          <li aria-labelledby={`agenda-${day}`}>
            <h3 id={`agenda-${day}`} class="mb-2.5 flex items-baseline gap-2 text-sm font-medium text-ink">
              {dayLabel(day)}
              <Show when={day === props.today}>
                <span class="rounded-full bg-accent px-2 py-px text-[11px] font-semibold text-on-accent">Today</span>
              </Show>
            </h3>
            <Show
              when={props.events.get(day)?.length}
              fallback={<p class="rounded-2xl border border-dashed border-line px-4 py-3 text-sm text-ink-subtle">No releases.</p>}
            >
              <ul class="grid gap-2 sm:grid-cols-2 xl:grid-cols-3">
                <For each={props.events.get(day)}>{(event) => <li><EventRow event={event} /></li>}</For>
              </ul>
            </Show>
          </li>
        )}
      </For>
    </ol>
  );
}
