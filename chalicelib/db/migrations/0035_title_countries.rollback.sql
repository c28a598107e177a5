DROP INDEX media_items_original_language_idx;
DROP INDEX media_items_origin_countries_idx;
ALTER TABLE media_items DROP COLUMN origin_countries;
