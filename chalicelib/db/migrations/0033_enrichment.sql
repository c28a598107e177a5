-- Enrichment at a glance (issue 36, admin -> Catalog data): an admin pauses a source's scheduled work, and
-- links a media server item the sync could not match to a catalog title by hand.

-- A paused source's scheduled handlers do nothing until it is resumed (one row per paused source).
CREATE TABLE enrichment_pauses (
    source     text        PRIMARY KEY CHECK (source IN ('tmdb', 'tvdb', 'omdb', 'media_servers', 'channels')),
    paused_by  uuid        REFERENCES users (id) ON DELETE SET NULL,
    paused_at  timestamptz NOT NULL DEFAULT now()
);

-- An admin's match: a re-sync keeps the item's media_id / episode_id instead of its own (empty) match.
ALTER TABLE media_server_items ADD COLUMN manual_match boolean NOT NULL DEFAULT false;
CREATE INDEX media_server_items_manual_idx ON media_server_items (server_id) WHERE manual_match;
-- The unmatched-items list: titles without a catalog link, by title (keyset paged).
CREATE INDEX media_server_items_unmatched_idx ON media_server_items (lower(title), server_id, item_id)
    WHERE media_id IS NULL AND kind IN ('movie', 'show');
-- Catalog titles without a TMDB id (IMDb datasets titles), by title: the same list for source=tmdb.
CREATE INDEX media_items_without_tmdb_idx ON media_items (lower(title), id)
    WHERE tmdb_id IS NULL AND media_type IN ('movie', 'show');
