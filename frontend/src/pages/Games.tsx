import Gamepad2 from 'lucide-solid/icons/gamepad-2';
import { BrowsePage } from '../components/catalog/BrowsePage';

export default function GamesPage() {
  return (
    <BrowsePage
      mediaType="game"
      title="Games"
      noun="games"
      icon={Gamepad2}
      description="Games from IGDB, with platforms, franchises and your backlog."
    />
  );
}
