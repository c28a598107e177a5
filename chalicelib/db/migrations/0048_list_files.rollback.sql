-- Collections imported from a file without a URL stay as plain collections.
DROP TABLE IF EXISTS collection_source_files;
DELETE FROM collection_sources WHERE url IS NULL;
ALTER TABLE collection_sources DROP COLUMN IF EXISTS filename;
ALTER TABLE collection_sources ALTER COLUMN url SET NOT NULL;
