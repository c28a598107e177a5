-- Subtitles in sync (chalicelib/subtitles/sync.py): auto-sync requests and outcomes per track
-- (library_subtitle_syncs, instance-wide) and each viewer's manual offset (library_subtitle_offsets).

-- name: subsync_lock_track(item_id, subtitle_id)$
-- Locks one track of an item to the end of the transaction, so two requests for one track decide one after
-- the other; its id, or nothing when there is no such track.
SELECT id FROM library_subtitles WHERE id = :subtitle_id AND library_item_id = :item_id FOR UPDATE;

-- name: subsync_track(item_id, subtitle_id)^
-- One track of an item with its file and its last sync. Read in a statement after subsync_lock_track: a
-- statement that waited for the lock itself would still see the sync as it was when it started waiting.
SELECT s.id, s.library_item_id, s.storage_key AS subtitle_key, s.updated_at AS track_updated_at,
       li.storage_key AS source_key, li.sha256, y.status, y.requested_at
FROM library_subtitles s
JOIN library_items li ON li.id = s.library_item_id
LEFT JOIN library_subtitle_syncs y ON y.subtitle_id = s.id
WHERE s.id = :subtitle_id AND s.library_item_id = :item_id;

-- name: subsync_track_exists(item_id, subtitle_id)$
SELECT EXISTS (SELECT 1 FROM library_subtitles WHERE id = :subtitle_id AND library_item_id = :item_id);

-- name: subsync_open_count(user_id, since)$
-- The user's syncs in the worker's hands (asked since :since; older ones are taken as lost).
SELECT count(*) FROM library_subtitle_syncs
WHERE requested_by = :user_id AND status IN ('queued', 'running') AND requested_at >= :since;

-- name: subsync_request(subtitle_id, item_id, user_id, source_key, subtitle_key, output_prefix, track_updated_at)!
-- media.subtitle_sync is being sent: the track's sync starts over (queued, no result).
INSERT INTO library_subtitle_syncs (subtitle_id, library_item_id, requested_by, source_key, subtitle_key,
                                    output_prefix, track_updated_at, status)
VALUES (:subtitle_id, :item_id, :user_id, :source_key, :subtitle_key, :output_prefix, :track_updated_at, 'queued')
ON CONFLICT (subtitle_id) DO UPDATE
SET library_item_id = EXCLUDED.library_item_id, requested_by = EXCLUDED.requested_by,
    source_key = EXCLUDED.source_key, subtitle_key = EXCLUDED.subtitle_key, output_prefix = EXCLUDED.output_prefix,
    track_updated_at = EXCLUDED.track_updated_at, status = 'queued', offset_seconds = NULL, output_key = NULL,
    error = NULL, requested_at = now(), reported_at = NULL, synced_at = NULL, updated_at = now();

-- name: subsync_apply(subtitle_id, source_key, subtitle_key, status, offset_seconds, output_key, error, sent_at)^
-- A media.subtitle_synced: applied unless about another file or track, older than the last answer applied,
-- a 'running' after the outcome, or a track stored outside the requested prefix.
UPDATE library_subtitle_syncs
SET status = :status, offset_seconds = :offset_seconds, output_key = :output_key, error = :error,
    reported_at = :sent_at, synced_at = CASE WHEN :status = 'done' THEN now() END, updated_at = now()
WHERE subtitle_id = :subtitle_id AND source_key = :source_key AND subtitle_key = :subtitle_key
  AND (reported_at IS NULL OR reported_at <= :sent_at)
  AND NOT (:status = 'running' AND status IN ('done', 'failed'))
  AND starts_with(coalesce(:output_key::text, output_prefix), output_prefix)
RETURNING subtitle_id, status;

-- name: subsync_of_item(item_id)
-- The item's tracks' syncs; current: the track is still the one that was synced (not replaced since).
SELECT y.subtitle_id, y.status, y.offset_seconds, y.output_key, y.synced_at, y.error,
       y.track_updated_at = s.updated_at AND y.subtitle_key = s.storage_key AS current
FROM library_subtitle_syncs y
JOIN library_subtitles s ON s.id = y.subtitle_id
WHERE y.library_item_id = :item_id;

-- name: subsync_set_offset(user_id, subtitle_id, item_id, offset_seconds)!
INSERT INTO library_subtitle_offsets (user_id, subtitle_id, library_item_id, offset_seconds)
VALUES (:user_id, :subtitle_id, :item_id, :offset_seconds)
ON CONFLICT (user_id, subtitle_id) DO UPDATE
SET offset_seconds = EXCLUDED.offset_seconds, library_item_id = EXCLUDED.library_item_id, updated_at = now();

-- name: subsync_offsets_of(user_id, item_id)
SELECT subtitle_id, offset_seconds FROM library_subtitle_offsets
WHERE user_id = :user_id AND library_item_id = :item_id;
