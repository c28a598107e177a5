-- Engagement: title views and collection clicks, one per user, day and target, kept 7 days.

-- name: engagement_log(day, user_id, kind, media_id, section_id)^
INSERT INTO engagement_events (day, user_id, kind, media_id, section_id)
SELECT :day, :user_id, :kind, :media_id, :section_id
WHERE :media_id::bigint IS NULL OR EXISTS (SELECT 1 FROM media_items WHERE id = :media_id)
ON CONFLICT ON CONSTRAINT engagement_events_key DO NOTHING
RETURNING day;

-- name: engagement_section_id(key)$
SELECT id FROM discover_sections WHERE key = :key AND is_enabled;

-- name: engagement_media_exists(media_id)$
SELECT EXISTS (SELECT 1 FROM media_items WHERE id = :media_id);

-- name: engagement_purge(before)!
DELETE FROM engagement_events WHERE day < :before;
