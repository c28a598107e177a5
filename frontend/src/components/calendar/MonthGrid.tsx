import { createEffect, createMemo, createSignal, For, on, Show } from 'solid-js';
import { addDays, addMonths, monthGrid, sameMonth, startOfWeek, type IsoDate } from './dates';
import { EventChip } from './EventLink';
import { dayLabel, type CalendarEvent } from './state';

const WEEKDAYS = [1, 2, 3, 4, 5, 6, 7].map((d) => ({
  short: dayLabel(`2026-06-0${d}`, { weekday: 'short' }),
  long: dayLabel(`2026-06-0${d}`, { weekday: 'long' }),
})); // 2026-06-01 is a Monday
const PER_CELL = 3;

/** Where an arrow/Home/End/Page key moves the focused day. */
export function keyTarget(key: string, day: IsoDate): IsoDate | undefined {
  switch (key) {
    case 'ArrowLeft': return addDays(day, -1);
    case 'ArrowRight': return addDays(day, 1);
    case 'ArrowUp': return addDays(day, -7);
    case 'ArrowDown': return addDays(day, 7);
    case 'Home': return startOfWeek(day);
    case 'End': return addDays(startOfWeek(day), 6);
    case 'PageUp': return addMonths(day, -1);
    case 'PageDown': return addMonths(day, 1);
    default: return undefined;
  }
}

/**
 * The month as a WAI-ARIA grid: one day cell is in the tab order; arrows move
 * between days (crossing into the next month navigates there), Tab enters the
 * focused day's releases.
 */
export function MonthGrid(props: {
  date: IsoDate;
  today: IsoDate;
  events: Map<IsoDate, CalendarEvent[]>;
  label: string;
  onNavigate: (date: IsoDate) => void;
  onShowDay: (date: IsoDate) => void;
}) {
  let grid!: HTMLTableElement;
  let focusAfterRender = false;
  const weeks = createMemo(() => monthGrid(props.date));
  const [active, setActive] = createSignal<IsoDate>(props.date);
  const focusActive = () => grid.querySelector<HTMLElement>(`[data-date="${active()}"]`)?.focus();

  // Another month (buttons, URL, keyboard): keep the focus day if it is in it, else use the URL's day.
  createEffect(
    on(weeks, () => {
      if (!sameMonth(active(), props.date)) setActive(props.date);
      if (focusAfterRender) {
        focusAfterRender = false;
        queueMicrotask(focusActive);
      }
    }, { defer: true }),
  );

  const onKeyDown = (event: KeyboardEvent) => {
    if ((event.target as HTMLElement).getAttribute('role') !== 'gridcell') return;
    const next = keyTarget(event.key, active());
    if (!next) return;
    event.preventDefault();
    setActive(next);
    if (sameMonth(next, props.date)) return focusActive();
    focusAfterRender = true;
    props.onNavigate(next);
  };

  return (
    <table ref={grid} role="grid" aria-label={props.label} class="w-full table-fixed border-separate border-spacing-1" onKeyDown={onKeyDown}>
      <thead>
        <tr>
          <For each={WEEKDAYS}>
            {(day) => (
              <th scope="col" abbr={day.long} class="pb-2 text-left text-xs font-medium uppercase tracking-[0.12em] text-ink-subtle">
                {day.short}
              </th>
            )}
          </For>
        </tr>
      </thead>
      <tbody>
        <For each={weeks()}>
          {(week) => (
            <tr>
              <For each={week}>{(day) => <DayCell day={day} {...props} active={active() === day} onFocus={() => setActive(day)} />}</For>
            </tr>
          )}
        </For>
      </tbody>
    </table>
  );
}

function DayCell(props: {
  day: IsoDate;
  date: IsoDate;
  today: IsoDate;
  active: boolean;
  events: Map<IsoDate, CalendarEvent[]>;
  onFocus: () => void;
  onShowDay: (date: IsoDate) => void;
}) {
  const items = () => props.events.get(props.day) ?? [];
  const outside = () => !sameMonth(props.day, props.date);
  const isToday = () => props.day === props.today;
  const name = () => `${dayLabel(props.day)}${items().length ? `, ${items().length} release${items().length > 1 ? 's' : ''}` : ''}`;
  return (
    <td
      role="gridcell"
      data-date={props.day}
      tabindex={props.active ? 0 : -1}
      aria-label={name()}
      aria-current={isToday() ? 'date' : undefined}
      onFocusIn={(event) => event.target === event.currentTarget && props.onFocus()}
      class="h-28 rounded-xl border p-1.5 align-top outline-none transition-colors focus-visible:border-accent/70 focus-visible:ring-2 focus-visible:ring-accent/25 lg:h-32"
      classList={{ 'border-line bg-surface': !outside(), 'border-transparent bg-surface/40': outside() }}
    >
      <span
        aria-hidden="true"
        class="mb-1 grid size-6 place-items-center rounded-full text-xs tabular-nums"
        classList={{ 'bg-accent font-semibold text-on-accent': isToday(), 'text-ink-subtle': !isToday() && outside(), 'text-ink-muted': !isToday() && !outside() }}
      >
        {Number(props.day.slice(8))}
      </span>
      <div class="flex flex-col gap-0.5">
        <For each={items().slice(0, PER_CELL)}>{(event) => <EventChip event={event} tabbable={props.active} />}</For>
        <Show when={items().length > PER_CELL}>
          <button
            type="button"
            tabindex={props.active ? 0 : -1}
            class="self-start rounded-md px-1 text-[11px] text-accent-ink hover:underline"
            onClick={() => props.onShowDay(props.day)}
          >
            +{items().length - PER_CELL} more
          </button>
        </Show>
      </div>
    </td>
  );
}
