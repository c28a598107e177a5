import Bookmark from 'lucide-solid/icons/bookmark';
import { buttonStyles } from '../components/ui/button';
import { EmptyState } from '../components/ui/EmptyState';
import { Page } from '../components/ui/Page';

export default function WatchLaterPage() {
  return (
    <Page
      title="Watch later"
      description="Titles you have saved for when the moment is right."
    >
      <EmptyState
        icon={Bookmark}
        title="Nothing saved for later"
        body="Save a movie or a show from Discover and it lines up here, newest first."
        action={
          <a href="/app/discover" class={buttonStyles.secondary}>
            Browse Discover
          </a>
        }
      />
    </Page>
  );
}
