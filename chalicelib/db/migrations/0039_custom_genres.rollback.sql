DELETE FROM discover_sections WHERE source = 'genre';
ALTER TABLE discover_sections DROP CONSTRAINT discover_sections_source_check;
ALTER TABLE discover_sections ADD CONSTRAINT discover_sections_source_check
    CHECK (source IN ('tmdb', 'igdb', 'curated', 'demo'));
DROP TABLE genre_reviews;
DELETE FROM genres WHERE source = 'custom';
ALTER TABLE genres DROP COLUMN keywords;
ALTER TABLE genres DROP CONSTRAINT genres_external_id_check;
ALTER TABLE genres ADD CONSTRAINT genres_external_id_check CHECK (source IN ('local', 'imdb') OR external_id IS NOT NULL);
ALTER TABLE genres DROP CONSTRAINT genres_source_check;
ALTER TABLE genres ADD CONSTRAINT genres_source_check CHECK (source IN ('tmdb', 'igdb', 'local', 'imdb'));
