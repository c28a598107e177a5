-- Ratings come back with the next detail fetch or sync.
DROP INDEX IF EXISTS media_items_min_age_idx;
ALTER TABLE media_items DROP COLUMN IF EXISTS min_age, DROP COLUMN IF EXISTS content_rating;
