DROP INDEX media_items_without_tmdb_idx;
DROP INDEX media_server_items_manual_idx;
DROP INDEX media_server_items_unmatched_idx;
ALTER TABLE media_server_items DROP COLUMN manual_match;
DROP TABLE enrichment_pauses;
