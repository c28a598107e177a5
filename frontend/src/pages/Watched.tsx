import Eye from 'lucide-solid/icons/eye';
import { EmptyState } from '../components/ui/EmptyState';
import { Page } from '../components/ui/Page';

export default function WatchedPage() {
  return (
    <Page
      title="Watched"
      description="Your viewing history: every watch, rewatch and rating, as a diary."
    >
      <EmptyState
        icon={Eye}
        title="No history yet"
        body="Finish a movie or mark an episode as watched and your diary starts here."
      />
    </Page>
  );
}
