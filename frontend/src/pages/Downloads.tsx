import Download from 'lucide-solid/icons/download';
import { EmptyState } from '../components/ui/EmptyState';
import { Page } from '../components/ui/Page';

export default function DownloadsPage() {
  return (
    <Page
      title="Downloads"
      description="Magnet, torrent and direct downloads running on your home server, with live progress."
    >
      <EmptyState
        icon={Download}
        title="No downloads"
        body="Add a magnet link, a .torrent file or a direct URL, then follow its speed and progress here."
      />
    </Page>
  );
}
