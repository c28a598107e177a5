import Film from 'lucide-solid/icons/film';
import { BrowsePage } from '../components/catalog/BrowsePage';

export default function MoviesPage() {
  return (
    <BrowsePage
      mediaType="movie"
      title="Movies"
      noun="movies"
      icon={Film}
      description="Every movie in the catalog — filter by genre, decade and rating."
    />
  );
}
