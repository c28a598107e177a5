import ShieldCheck from 'lucide-solid/icons/shield-check';
import { buttonStyles } from '../components/ui/button';
import { EmptyState } from '../components/ui/EmptyState';
import { Page } from '../components/ui/Page';

export default function AdminPage() {
  return (
    <Page
      title="Admin"
      description="Users, workers, sync jobs and queues for this /seen/ server."
    >
      <EmptyState
        icon={ShieldCheck}
        title="Nothing to manage yet"
        body="User accounts, worker heartbeats and background sync jobs are listed here for administrators."
        action={
          <a href="/app/dashboard#services" class={buttonStyles.secondary}>
            View service status
          </a>
        }
      />
    </Page>
  );
}
