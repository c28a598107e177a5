import Tv from 'lucide-solid/icons/tv';
import { buttonStyles } from '../components/ui/button';
import { EmptyState } from '../components/ui/EmptyState';
import { Page } from '../components/ui/Page';

export default function ShowsPage() {
  return (
    <Page
      title="Shows"
      description="The series you follow, with seasons, episodes and where you left off."
    >
      <EmptyState
        icon={Tv}
        title="No shows yet"
        body="Follow a show to track its seasons, tick off episodes and see the next one to watch."
        action={
          <a href="/app/discover" class={buttonStyles.secondary}>
            Find a show
          </a>
        }
      />
    </Page>
  );
}
