import Sparkles from 'lucide-solid/icons/sparkles';
import { buttonStyles } from '../components/ui/button';
import { EmptyState } from '../components/ui/EmptyState';
import { Page } from '../components/ui/Page';

export default function RecommendationsPage() {
  return (
    <Page
      title="Recommendations"
      description="Picks drawn from what you watch and rate, each with the reason it was chosen."
    >
      <EmptyState
        icon={Sparkles}
        title="No picks yet"
        body="Watch and rate a few titles; recommendations are refreshed from your taste on a schedule."
        action={
          <a href="/app/discover" class={buttonStyles.secondary}>
            Start discovering
          </a>
        }
      />
    </Page>
  );
}
