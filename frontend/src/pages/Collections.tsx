import Layers from 'lucide-solid/icons/layers';
import { EmptyState } from '../components/ui/EmptyState';
import { Page } from '../components/ui/Page';

export default function CollectionsPage() {
  return (
    <Page
      title="Collections"
      description="Your own hand-picked lists, in the order you choose."
    >
      <EmptyState
        icon={Layers}
        title="No collections yet"
        body="Group titles into themed lists: a director's work, a rainy-day queue, a festival lineup."
      />
    </Page>
  );
}
