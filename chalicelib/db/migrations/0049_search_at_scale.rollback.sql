DROP FUNCTION IF EXISTS search_hit(bigint, integer, float8);
DROP FUNCTION IF EXISTS search_closeness(text, text, text, tsvector, text, text, text);
DROP FUNCTION IF EXISTS search_tier(text, text, text, tsvector, text, text, text);
DROP FUNCTION IF EXISTS search_fame(float8, integer);
DROP FUNCTION IF EXISTS search_tsquery(text[]);
DROP INDEX IF EXISTS media_items_fame_idx;
ALTER TABLE media_items ALTER COLUMN search_tsv SET STATISTICS -1;
ALTER INDEX media_items_title_prefix_idx ALTER COLUMN 1 SET STATISTICS -1;
