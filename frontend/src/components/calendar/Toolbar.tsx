import ChevronLeft from 'lucide-solid/icons/chevron-left';
import ChevronRight from 'lucide-solid/icons/chevron-right';
import { For } from 'solid-js';
import type { CalendarType } from '../../api/calendar';
import { chipStyles } from '../ui/form';
import type { CalendarState, CalendarView } from './state';

const segment = (on: boolean) =>
  `h-8 rounded-full px-4 text-sm transition-colors duration-200 ${on ? 'bg-accent-soft text-ink' : 'text-ink-muted hover:text-ink'}`;
const round =
  'grid size-9 place-items-center rounded-full border border-line text-ink-muted transition-colors hover:border-line-strong hover:text-ink';

/** Month/Week, Previous/Today/Next and the period heading. */
export function CalendarToolbar(props: {
  state: CalendarState;
  period: string;
  onView: (view: CalendarView) => void;
  onStep: (direction: 1 | -1) => void;
  onToday: () => void;
}) {
  const unit = () => (props.state.view === 'week' ? 'week' : 'month');
  return (
    <div class="flex flex-wrap items-center justify-between gap-4">
      <div class="flex items-center gap-2">
        <button type="button" class={round} aria-label="Previous" title={`Previous ${unit()}`} onClick={() => props.onStep(-1)}>
          <ChevronLeft class="size-4" strokeWidth={1.75} />
        </button>
        <button type="button" class={round} aria-label="Next" title={`Next ${unit()}`} onClick={() => props.onStep(1)}>
          <ChevronRight class="size-4" strokeWidth={1.75} />
        </button>
        <h2 aria-live="polite" class="ml-2 text-xl font-medium tracking-tight text-ink">{props.period}</h2>
      </div>
      <div class="flex items-center gap-3">
        <button type="button" class="h-9 rounded-full border border-line px-4 text-sm text-ink-muted transition-colors hover:border-line-strong hover:text-ink" onClick={() => props.onToday()}>
          Today
        </button>
        <div role="group" aria-label="View" class="flex gap-1 rounded-full border border-line bg-canvas/60 p-0.5">
          <button type="button" class={segment(props.state.view === 'month')} aria-pressed={props.state.view === 'month'} onClick={() => props.onView('month')}>
            Month
          </button>
          <button type="button" class={segment(props.state.view === 'week')} aria-pressed={props.state.view === 'week'} onClick={() => props.onView('week')}>
            Week
          </button>
        </div>
      </div>
    </div>
  );
}

const TYPES: { value: CalendarType | undefined; label: string }[] = [
  { value: undefined, label: 'Everything' },
  { value: 'movie', label: 'Movies' },
  { value: 'show', label: 'Shows' },
  { value: 'game', label: 'Games' },
];

/** Media type and "only my list" (the API's watchlistOnly: watch later titles and followed shows). */
export function CalendarFilters(props: { state: CalendarState; onChange: (change: Partial<CalendarState>) => void }) {
  return (
    <div class="no-scrollbar -mx-1 flex items-center gap-2 overflow-x-auto px-1 py-1">
      <div role="group" aria-label="Media type" class="flex gap-2">
        <For each={TYPES}>
          {(type) => (
            <button type="button" class={chipStyles(props.state.type === type.value)} aria-pressed={props.state.type === type.value} onClick={() => props.onChange({ type: type.value })}>
              {type.label}
            </button>
          )}
        </For>
      </div>
      <span aria-hidden="true" class="mx-1 h-5 w-px shrink-0 bg-line" />
      <button
        type="button"
        class={chipStyles(props.state.mine)}
        aria-pressed={props.state.mine}
        title="Only titles on your watch later list and shows you follow"
        onClick={() => props.onChange({ mine: !props.state.mine })}
      >
        Only what I follow
      </button>
    </div>
  );
}
