-- Imported collections stay as plain collections.
DROP TABLE IF EXISTS list_film_ids;
DROP TABLE IF EXISTS collection_sources;
