import Tv from 'lucide-solid/icons/tv';
import { BrowsePage } from '../components/catalog/BrowsePage';

export default function ShowsPage() {
  return (
    <BrowsePage
      mediaType="show"
      title="Shows"
      noun="shows"
      icon={Tv}
      description="Series old and new, with seasons and episodes to track."
    />
  );
}
