import Library from 'lucide-solid/icons/library';
import { buttonStyles } from '../components/ui/button';
import { EmptyState } from '../components/ui/EmptyState';
import { Page } from '../components/ui/Page';

export default function LibraryPage() {
  return (
    <Page
      title="Library"
      description="The video files on your server, matched to titles and ready to play in the browser."
    >
      <EmptyState
        icon={Library}
        title="Your library is empty"
        body="Finished downloads and scanned folders show up here, matched to their movies and episodes."
        action={
          <a href="/app/downloads" class={buttonStyles.secondary}>
            Go to downloads
          </a>
        }
      />
    </Page>
  );
}
