-- Lists as collections by file (issue 38 item 5): a Letterboxd or IMDb list export uploaded as a file fills a
-- collection through the same sync as a URL import. An export that names its list (Letterboxd's header row)
-- keeps the list's URL for the later syncs; one that does not (IMDb's) is a one-off import with no URL.
ALTER TABLE collection_sources ALTER COLUMN url DROP NOT NULL;
ALTER TABLE collection_sources ADD COLUMN filename text CHECK (char_length(filename) <= 255);

-- The parsed entries of an uploaded export, waiting for the sync that applies them (deleted by that sync).
-- Kept apart from collection_sources so the collections' reads (to_jsonb of the source row) stay small.
CREATE TABLE collection_source_files (
    collection_id   uuid        PRIMARY KEY REFERENCES collection_sources (collection_id) ON DELETE CASCADE,
    title           text        NOT NULL CHECK (char_length(title) <= 300),
    entries         jsonb       NOT NULL,
    created_at      timestamptz NOT NULL DEFAULT now()
);
COMMENT ON TABLE collection_source_files IS 'An uploaded list export''s entries until its sync applies them.';
