import Film from 'lucide-solid/icons/film';
import { buttonStyles } from '../components/ui/button';
import { EmptyState } from '../components/ui/EmptyState';
import { Page } from '../components/ui/Page';

export default function MoviesPage() {
  return (
    <Page
      title="Movies"
      description="Every movie in your catalog, to filter by genre, year and rating."
    >
      <EmptyState
        icon={Film}
        title="No movies yet"
        body="Movies from the catalog and from your own library are listed here, each with its poster and your status."
        action={
          <a href="/app/discover" class={buttonStyles.secondary}>
            Explore Discover
          </a>
        }
      />
    </Page>
  );
}
