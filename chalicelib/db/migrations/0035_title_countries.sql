-- Discover by origin (issue 37): the countries a title comes from (ISO 3166-1 alpha-2, upper case), from TMDB's
-- origin_country (shows, and movies since 2024) or production_countries, and the demo catalog. Empty = unknown.
-- The filters `country` and `originalLanguage` read these columns; `country` by containment, so a GIN index.
ALTER TABLE media_items ADD COLUMN origin_countries text[] NOT NULL DEFAULT '{}'
    CHECK (array_to_string(origin_countries, ',') ~ '^([A-Z]{2}(,[A-Z]{2})*)?$');
CREATE INDEX media_items_origin_countries_idx ON media_items USING gin (origin_countries);
CREATE INDEX media_items_original_language_idx ON media_items (original_language)
    WHERE original_language IS NOT NULL;
