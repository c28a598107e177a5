import CalendarDays from 'lucide-solid/icons/calendar-days';
import { EmptyState } from '../components/ui/EmptyState';
import { Page } from '../components/ui/Page';

export default function CalendarPage() {
  return (
    <Page
      title="Calendar"
      description="Upcoming releases and episode air dates for everything you follow."
    >
      <EmptyState
        icon={CalendarDays}
        title="Nothing on the calendar"
        body="Follow shows and save upcoming movies to see their release dates by month and by week."
      />
    </Page>
  );
}
