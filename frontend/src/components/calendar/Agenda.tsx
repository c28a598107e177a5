import { For, Show } from 'solid-js';
import type { IsoDate } from './dates';
import { EventRow } from './EventLink';
import { dayLabel, type CalendarEvent } from './state';

/**
 * The month's releases listed day by day on a phone (where seven columns would be too narrow to read);
 * quiet days are left out. The week view is `WeekView`.
 */
export function Agenda(props: {
  days: IsoDate[];
  today: IsoDate;
  events: Map<IsoDate, CalendarEvent[]>;
  label: string;
}) {
  const shown = () => props.days.filter((day) => props.events.has(day));
  return (
    <ol aria-label={props.label} class="flex flex-col gap-6">
      <For each={shown()} fallback={<li class="text-sm text-ink-subtle">No releases in this period.</li>}>
        {(day) => (
          <li aria-labelledby={`agenda-${day}`}>
            <DayHeading id={`agenda-${day}`} day={day} today={props.today} />
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

/** A day of a list ("Wednesday, November 25"), with a "Today" badge on today. */
export function DayHeading(props: { id: string; day: IsoDate; today: IsoDate }) {
  return (
    <h3 id={props.id} class="mb-3 flex items-baseline gap-2 text-sm font-medium text-ink">
      {dayLabel(props.day)}
      <Show when={props.day === props.today}>
        <span class="rounded-full bg-accent px-2 py-px text-[11px] font-semibold text-on-accent">Today</span>
      </Show>
    </h3>
  );
}
