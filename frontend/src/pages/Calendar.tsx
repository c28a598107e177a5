import { A, useSearchParams } from '@solidjs/router';
import CalendarDays from 'lucide-solid/icons/calendar-days';
import UsersRound from 'lucide-solid/icons/users-round';
import { createMemo, createSignal, Show } from 'solid-js';
import { calendarKeys, fetchCalendar } from '../api/calendar';
import { createApiQuery } from '../api/queryClient';
import { Agenda } from '../components/calendar/Agenda';
import { groupByDay, monthGrid, sameMonth, todayIso, type IsoDate } from '../components/calendar/dates';
import { EventDetails } from '../components/calendar/EventDetails';
import { FeedLink } from '../components/calendar/FeedLink';
import { MonthGrid } from '../components/calendar/MonthGrid';
import { periodLabel, readState, sortDays, stepDate, visibleRange, weekDays, writeState, type CalendarEvent, type CalendarParams, type CalendarState } from '../components/calendar/state';
import { CalendarFilters, CalendarToolbar } from '../components/calendar/Toolbar';
import { WeekView } from '../components/calendar/WeekView';
import { buttonStyles } from '../components/ui/button';
import { Skeleton } from '../components/ui/Skeleton';
import { Page } from '../components/ui/Page';
import { QueryView } from '../components/ui/QueryView';

const sameQuery = (a: { key: string }, b: { key: string }) => a.key === b.key;

export default function CalendarPage() {
  const [params, setParams] = useSearchParams<CalendarParams>();
  const today = todayIso();
  const state = createMemo(() => readState(params, today));
  const update = (change: Partial<CalendarState>) => setParams(writeState({ ...state(), ...change }));

  const request = createMemo(
    () => {
      const { from, to } = visibleRange(state());
      const { type, mine } = state();
      const view = state().view === 'week' ? ('week' as const) : undefined;
      return { key: `${view ?? ''}|${from}|${to}|${type ?? ''}|${mine}`, view, from, to, type, mine };
    },
    undefined,
    { equals: sameQuery },
  );
  const calendar = createApiQuery(() => {
    const r = request();
    return { queryKey: calendarKeys.range(r), queryFn: () => fetchCalendar(r) };
  });
  const byDay = createMemo(() =>
    sortDays(groupByDay(calendar.data?.items ?? [], { from: calendar.data?.from ?? request().from, to: calendar.data?.to ?? request().to })),
  );
  const monthDays = () => monthGrid(state().date).flat().filter((day) => sameMonth(day, state().date));
  const [opened, setOpened] = createSignal<CalendarEvent>();

  return (
    <Page title="Calendar" description="Upcoming releases and episode air dates for everything you follow." actions={
        <div class="flex flex-wrap items-center gap-3">
          <A href="/app/following" class={buttonStyles.ghost}>
            <UsersRound class="size-4" strokeWidth={1.75} />
            Following
          </A>
          <FeedLink />
        </div>
      }
    >
      <div class="flex flex-col gap-5">
        <CalendarToolbar
          state={state()}
          period={periodLabel(state())}
          onView={(view) => update({ view })}
          onStep={(direction) => update({ date: stepDate(state(), direction) })}
          onToday={() => update({ date: today })}
        />
        <CalendarFilters state={state()} onChange={update} />
      </div>
      <QueryView query={calendar} loading={<CalendarSkeleton />} errorTitle="Couldn't load the calendar">
        {(data) => (
          <>
            <Show when={data().total === 0}>
              <EmptyNote mine={state().mine} />
            </Show>
            <Show
              when={state().view === 'month'}
              fallback={<WeekView days={weekDays(state())} today={today} events={byDay()} label={`Releases, ${periodLabel(state())}`} onOpen={setOpened} />}
            >
              <div class="hidden sm:block">
                <MonthGrid
                  date={state().date}
                  today={today}
                  events={byDay()}
                  label={periodLabel(state())}
                  onNavigate={(date: IsoDate) => update({ date })}
                  onShowDay={(date: IsoDate) => update({ view: 'week', date })}
                />
              </div>
              <div class="sm:hidden">
                <Agenda days={monthDays()} today={today} events={byDay()} label={`Releases, ${periodLabel(state())}`} />
              </div>
            </Show>
          </>
        )}
      </QueryView>
      <EventDetails event={opened()} onClose={() => setOpened(undefined)} />
    </Page>
  );
}

function EmptyNote(props: { mine: boolean }) {
  return (
    <div class="flex flex-col items-start gap-3 rounded-2xl border border-line bg-surface px-5 py-4 sm:flex-row sm:items-center">
      <CalendarDays class="size-5 shrink-0 text-accent-ink" strokeWidth={1.75} />
      <p class="flex-1 text-sm text-ink-muted">
        Nothing on the calendar for this period{props.mine ? ' among what you follow' : ''}. Follow shows and add upcoming
        titles to watch later to see their dates here.
      </p>
      <A href="/app/discover" class="text-sm text-accent-ink hover:underline">Find upcoming titles</A>
    </div>
  );
}

function CalendarSkeleton() {
  return (
    <div>
      <p role="status" class="sr-only">Loading the calendar…</p>
      <div aria-hidden="true" class="grid grid-cols-7 gap-1">
        {Array.from({ length: 35 }, () => <Skeleton class="h-24 rounded-xl lg:h-28" />)}
      </div>
    </div>
  );
}
