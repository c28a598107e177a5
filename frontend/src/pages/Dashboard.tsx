import Play from 'lucide-solid/icons/play';
import { ServiceHealth } from '../components/health/ServiceHealth';
import { buttonStyles } from '../components/ui/button';
import { EmptyState } from '../components/ui/EmptyState';
import { Page, Section } from '../components/ui/Page';

export default function DashboardPage() {
  return (
    <Page
      title="Dashboard"
      description="Pick up where you left off, see what is new, and check on your services."
    >
      <Section id="continue-watching" title="Continue watching">
        <EmptyState
          icon={Play}
          level={3}
          title="Nothing in progress"
          body="Start a movie or an episode from your library and it waits here, right where you stopped."
          action={
            <a href="/app/library" class={buttonStyles.secondary}>
              Open your library
            </a>
          }
        />
      </Section>
      <Section id="services" title="Services">
        <ServiceHealth />
      </Section>
    </Page>
  );
}
