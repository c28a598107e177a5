import Compass from 'lucide-solid/icons/compass';
import { EmptyState } from '../components/ui/EmptyState';
import { Page } from '../components/ui/Page';

export default function DiscoverPage() {
  return (
    <Page
      title="Discover"
      description="Trending, new and upcoming movies, shows and games, in rows you can browse by genre."
    >
      <EmptyState
        icon={Compass}
        title="Discovery is warming up"
        body="Rows of trending and upcoming titles appear here once the catalog has synced from TMDB and IGDB, or from the bundled demo catalog."
      />
    </Page>
  );
}
