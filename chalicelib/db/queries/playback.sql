-- Next episode ready (playback.prefetch) and the storage janitor's quota (chalicelib/playback).

-- name: playback_next_episode(media_id, episode_id)^
-- The regular episode after this one (same season next number, else the first of a later season) that
-- has aired, with its library item when one is matched to it. No row: the last episode (or unknown).
SELECT e.id AS episode_id, e.season_number, e.episode_number,
       (SELECT li.id FROM library_items li
        WHERE li.media_id = e.media_id AND li.episode_id = e.id AND li.match_state = 'matched'
        ORDER BY li.created_at, li.id LIMIT 1) AS library_item_id
FROM episodes cur
JOIN episodes e ON e.media_id = cur.media_id AND e.season_number > 0
 AND (e.season_number, e.episode_number) > (cur.season_number, cur.episode_number)
WHERE cur.id = :episode_id AND cur.media_id = :media_id AND (e.air_date IS NULL OR e.air_date <= current_date)
ORDER BY e.season_number, e.episode_number
LIMIT 1;

-- name: playback_covering_job(user_id, media_id, season, episode)^
-- The user's download job that brings this episode: its own job or a season pack (episode NULL);
-- one still running first, then the newest. Failed and cancelled jobs bring nothing.
SELECT id, status, episode FROM download_jobs
WHERE user_id = :user_id AND media_id = :media_id AND season = :season
  AND (episode IS NULL OR episode = :episode) AND status NOT IN ('failed', 'cancelled')
ORDER BY status = 'completed', created_at DESC
LIMIT 1;

-- name: playback_remember_next(user_id, media_id, episode_id, after_episode_id, how, job_id, ttl_seconds)!
-- One row per user and show: the newest prefetch wins (a redelivered one only extends it).
INSERT INTO playback_next_up (user_id, media_id, episode_id, after_episode_id, how, job_id, expires_at)
VALUES (:user_id, :media_id, :episode_id, :after_episode_id, :how, :job_id,
        now() + :ttl_seconds * interval '1 second')
ON CONFLICT (user_id, media_id) DO UPDATE
SET episode_id = EXCLUDED.episode_id, after_episode_id = EXCLUDED.after_episode_id, how = EXCLUDED.how,
    job_id = EXCLUDED.job_id, expires_at = EXCLUDED.expires_at, updated_at = now();

-- name: playback_stored_bytes()$
-- What the library holds in the bucket: originals plus the variants made from them.
SELECT ((SELECT coalesce(sum(size_bytes), 0) FROM library_items)
      + (SELECT coalesce(sum(size_bytes), 0) FROM library_streams WHERE kind <> 'original')
      + (SELECT coalesce(sum(size_bytes), 0) FROM library_variants WHERE state = 'completed'))::bigint;

-- name: playback_evictable(now, playing_minutes)
-- Made variants (MP4 remux streams, remux/HLS variants) of items someone watched to the end, oldest
-- last watch first, leaving out every item that is playing (a heartbeat or a watch in the last
-- playing_minutes), in progress, in a watch-later list, or a user's protected next-up episode.
WITH watched AS (
    SELECT li.id AS library_item_id, max(w.watched_at) AS last_watched_at
    FROM library_items li
    JOIN user_watched w ON w.media_id = li.media_id AND w.episode_id IS NOT DISTINCT FROM li.episode_id
    WHERE li.match_state = 'matched'
      AND NOT EXISTS (SELECT 1 FROM user_progress p
                      WHERE p.media_id = li.media_id AND p.episode_id IS NOT DISTINCT FROM li.episode_id
                        AND (p.completed_at IS NULL
                             OR p.updated_at > :now - :playing_minutes * interval '1 minute'))
      AND NOT EXISTS (SELECT 1 FROM user_watch_later wl WHERE wl.media_id = li.media_id)
      AND NOT EXISTS (SELECT 1 FROM playback_next_up n
                      WHERE n.media_id = li.media_id AND n.episode_id = li.episode_id AND n.expires_at > :now)
    GROUP BY li.id
    HAVING max(w.watched_at) <= :now - :playing_minutes * interval '1 minute'
)
SELECT w.library_item_id, w.last_watched_at, v.kind, v.storage_key, v.is_prefix, v.size_bytes
FROM watched w
CROSS JOIN LATERAL (
    SELECT s.kind, s.storage_key, false AS is_prefix, coalesce(s.size_bytes, 0) AS size_bytes
    FROM library_streams s WHERE s.library_item_id = w.library_item_id AND s.kind <> 'original'
    UNION ALL
    SELECT lv.mode, coalesce(lv.output_prefix, lv.output_key, lv.playlist_key), lv.output_prefix IS NOT NULL,
           coalesce(lv.size_bytes, 0)
    FROM library_variants lv
    WHERE lv.library_item_id = w.library_item_id AND lv.state = 'completed'
      AND coalesce(lv.output_prefix, lv.output_key, lv.playlist_key) IS NOT NULL
) v
ORDER BY w.last_watched_at, w.library_item_id, v.kind;

-- name: playback_forget_variant(library_item_id, kind)!
-- The evicted variant's row goes: the next play asks for it again (a remux stream row, or a variant).
WITH s AS (DELETE FROM library_streams WHERE library_item_id = :library_item_id AND kind = :kind AND kind <> 'original')
DELETE FROM library_variants WHERE library_item_id = :library_item_id AND mode = :kind;

-- name: playback_record_eviction(library_item_id, kind, storage_key, objects, size_bytes, reason)!
INSERT INTO storage_evictions (library_item_id, kind, storage_key, objects, size_bytes, reason)
VALUES (:library_item_id, :kind, :storage_key, :objects, :size_bytes, :reason);

-- name: playback_evictions_recent(limit)
SELECT * FROM storage_evictions ORDER BY evicted_at DESC, id DESC LIMIT :limit;

-- name: playback_referenced_keys(keys)
-- Bucket keys something still needs: a library file, a stored download file, or an active job's .torrent.
SELECT storage_key AS key FROM library_items WHERE storage_key = ANY(:keys)
UNION SELECT storage_key FROM download_files f JOIN download_jobs j ON j.id = f.job_id
      WHERE f.storage_key = ANY(:keys) AND j.status NOT IN ('failed', 'cancelled')
UNION SELECT torrent_key FROM download_jobs
      WHERE torrent_key = ANY(:keys) AND status NOT IN ('completed', 'failed', 'cancelled');
