-- Picks (the chosen release per user, media, season/episode and quality profile, with the replaced ones as
-- the audit trail), the wanted list and monitored shows. Every user-facing read is scoped by user_id.
-- season/episode compare with IS NOT DISTINCT FROM: NULL (a movie, a season pack) equals NULL.

-- name: picks_lock_unit(key)$
-- Session-level: one pick at a time per (user, media, season, episode); held across the search (no
-- transaction stays open meanwhile), released by picks_unlock_unit.
SELECT pg_advisory_lock(hashtext(:key))::text;

-- name: picks_unlock_unit(key)$
SELECT pg_advisory_unlock(hashtext(:key))::text;

-- name: picks_current(user_id, media_id, season, episode, profile_hash, device_key)^
SELECT * FROM picks
WHERE user_id = :user_id AND media_id = :media_id AND season IS NOT DISTINCT FROM CAST(:season AS integer)
  AND episode IS NOT DISTINCT FROM CAST(:episode AS integer) AND profile_hash = :profile_hash
  AND device_key = :device_key AND replaced_at IS NULL;

-- name: picks_insert(user_id, media_id, season, episode, profile_hash, device_key, infohash, name, indexer, score, job_id, reason)^
INSERT INTO picks (user_id, media_id, season, episode, profile_hash, device_key, infohash, name, indexer, score,
                   job_id, reason)
VALUES (:user_id, :media_id, :season, :episode, :profile_hash, :device_key, :infohash, :name, :indexer, :score,
        :job_id, :reason)
RETURNING *;

-- name: picks_replace(pick_id, user_id, replaced_reason)^
-- Takes a pick out of the current slot (before its successor is inserted: the unique index allows one).
-- replaced_reason: why the system replaced it (a playback session's stalled stream); NULL when a person did.
UPDATE picks SET replaced_at = now(), replaced_reason = :replaced_reason
WHERE id = :pick_id AND user_id = :user_id AND replaced_at IS NULL
RETURNING *;

-- name: picks_get(pick_id, user_id)^
SELECT * FROM picks WHERE id = :pick_id AND user_id = :user_id;

-- name: picks_of_job(user_id, job_id)^
-- The pick whose download this job is (a playback session opened on a download plays that pick).
SELECT * FROM picks WHERE user_id = :user_id AND job_id = :job_id
ORDER BY replaced_at IS NOT NULL, created_at DESC
LIMIT 1;

-- name: picks_set_replaced_by(pick_id, replaced_by)!
UPDATE picks SET replaced_by = :replaced_by WHERE id = :pick_id;

-- name: picks_for(user_id, media_id, season, episode)
-- Every pick of the unit, under any profile: current ones first, then the audit trail, newest first.
SELECT * FROM picks
WHERE user_id = :user_id AND media_id = :media_id AND season IS NOT DISTINCT FROM CAST(:season AS integer)
  AND episode IS NOT DISTINCT FROM CAST(:episode AS integer)
ORDER BY replaced_at IS NOT NULL, created_at DESC, id
LIMIT 200;

-- name: picks_media(media_id)^
SELECT id, media_type, title, year, runtime_minutes FROM media_items WHERE id = :media_id;

-- name: picks_episode(media_id, season, episode)^
SELECT id, season_number, episode_number, air_date FROM episodes
WHERE media_id = :media_id AND season_number = :season AND episode_number = :episode;

-- name: picks_season_exists(media_id, season)$
SELECT EXISTS (SELECT 1 FROM seasons WHERE media_id = :media_id AND season_number = :season)
    OR EXISTS (SELECT 1 FROM episodes WHERE media_id = :media_id AND season_number = :season);

-- name: wanted_insert_movie(user_id, media_id)^
-- No row when the movie is already wanted (the caller reads it back).
INSERT INTO wanted (user_id, media_id) VALUES (:user_id, :media_id)
ON CONFLICT DO NOTHING
RETURNING id;

-- name: wanted_insert_episodes(user_id, media_id, season, episode, aired_only)
-- The show's episodes in scope (a season NULL: every season but specials; an episode NULL: the whole
-- season), aired ones only when aired_only. Rows already wanted are left as they are.
INSERT INTO wanted (user_id, media_id, season, episode, episode_id)
SELECT :user_id, e.media_id, e.season_number, e.episode_number, e.id
FROM episodes e
WHERE e.media_id = :media_id
  AND (CAST(:season AS integer) IS NULL AND e.season_number > 0 OR e.season_number = CAST(:season AS integer))
  AND (CAST(:episode AS integer) IS NULL OR e.episode_number = CAST(:episode AS integer))
  AND (NOT :aired_only OR e.air_date <= CURRENT_DATE)
ORDER BY e.season_number, e.episode_number
ON CONFLICT DO NOTHING
RETURNING id;

-- name: wanted_unit_ids(user_id, media_id, season, episode, aired_only)
-- The wanted rows a POST stands for (after its inserts), in episode order.
SELECT w.id FROM wanted w
LEFT JOIN episodes e ON e.id = w.episode_id
WHERE w.user_id = :user_id AND w.media_id = :media_id
  AND (CAST(:season AS integer) IS NULL AND (w.season IS NULL OR w.season > 0) OR w.season = CAST(:season AS integer))
  AND (CAST(:episode AS integer) IS NULL OR w.episode = CAST(:episode AS integer))
  AND (NOT :aired_only OR w.episode_id IS NULL OR e.air_date <= CURRENT_DATE)
ORDER BY w.season NULLS FIRST, w.episode;

-- name: wanted_rows(user_id, ids)
-- Wanted rows with their title, episode and done state (a matched library file of the movie or episode).
SELECT w.*, m.media_type, m.title, m.year, m.poster_path, e.name AS episode_name, e.air_date,
       d.done_at
FROM wanted w
JOIN media_items m ON m.id = w.media_id
LEFT JOIN episodes e ON e.id = w.episode_id
LEFT JOIN LATERAL (
    SELECT min(li.matched_at) AS done_at FROM library_items li
    WHERE li.match_state = 'matched' AND li.media_id = w.media_id
      AND (w.episode_id IS NULL OR li.episode_id = w.episode_id)) d ON true
WHERE w.user_id = :user_id AND w.id = ANY(CAST(:ids AS uuid[]))
ORDER BY m.title, w.media_id, w.season NULLS FIRST, w.episode;

-- name: wanted_group_page(user_id, q, limit, offset)
-- One page of wanted titles (most recently added first), optionally those whose title contains q.
SELECT w.media_id, array_agg(w.id) AS ids, max(w.created_at) AS added_at
FROM wanted w JOIN media_items m ON m.id = w.media_id
WHERE w.user_id = :user_id
  AND (CAST(:q AS text) IS NULL OR strpos(lower(m.title), lower(CAST(:q AS text))) > 0)
GROUP BY w.media_id
ORDER BY added_at DESC, w.media_id
LIMIT :limit OFFSET :offset;

-- name: wanted_group_count(user_id, q)$
SELECT count(DISTINCT w.media_id)
FROM wanted w JOIN media_items m ON m.id = w.media_id
WHERE w.user_id = :user_id
  AND (CAST(:q AS text) IS NULL OR strpos(lower(m.title), lower(CAST(:q AS text))) > 0);

-- name: wanted_delete(wanted_id, user_id)^
DELETE FROM wanted WHERE id = :wanted_id AND user_id = :user_id RETURNING id;

-- name: monitored_upsert(user_id, media_id, seasons, whole_show)!
-- A show (whole_show) or some seasons whose new episodes join the wanted list as they air.
INSERT INTO monitored_shows (user_id, media_id, seasons)
VALUES (:user_id, :media_id, CASE WHEN :whole_show THEN NULL ELSE CAST(:seasons AS integer[]) END)
ON CONFLICT (user_id, media_id) DO UPDATE
SET seasons = CASE WHEN :whole_show OR monitored_shows.seasons IS NULL THEN NULL
                   ELSE ARRAY(SELECT DISTINCT unnest(monitored_shows.seasons || CAST(:seasons AS integer[]))
                              ORDER BY 1) END,
    updated_at = now();

-- name: monitored_set(user_id, media_id, auto_get, cutoff)^
-- "Get new episodes automatically": monitors the whole show when it was not monitored yet.
INSERT INTO monitored_shows (user_id, media_id, auto_get, cutoff)
VALUES (:user_id, :media_id, :auto_get, :cutoff)
ON CONFLICT (user_id, media_id) DO UPDATE
SET auto_get = EXCLUDED.auto_get, cutoff = EXCLUDED.cutoff, updated_at = now()
RETURNING *;

-- name: monitored_delete(user_id, media_id)^
DELETE FROM monitored_shows WHERE user_id = :user_id AND media_id = :media_id RETURNING media_id;

-- name: monitor_add_aired()
-- Episodes that aired since each monitored show was last looked at join its user's wanted list (an
-- episode the user removed before is not re-added: its air date is behind checked_through).
WITH shows AS (
    UPDATE monitored_shows ms SET checked_through = CURRENT_DATE, updated_at = now()
    FROM (SELECT user_id, media_id, checked_through FROM monitored_shows
          WHERE checked_through < CURRENT_DATE FOR UPDATE) old
    WHERE ms.user_id = old.user_id AND ms.media_id = old.media_id
    RETURNING ms.user_id, ms.media_id, ms.seasons, old.checked_through AS since)
INSERT INTO wanted (user_id, media_id, season, episode, episode_id)
SELECT s.user_id, e.media_id, e.season_number, e.episode_number, e.id
FROM shows s JOIN episodes e ON e.media_id = s.media_id
WHERE e.air_date > s.since AND e.air_date <= CURRENT_DATE
  AND (s.seasons IS NULL AND e.season_number > 0 OR e.season_number = ANY(s.seasons))
ON CONFLICT DO NOTHING
RETURNING user_id, media_id, season, episode;

-- name: monitor_due(limit)
-- Aired, not yet done, due episodes of shows set to "get new episodes automatically" that have no pick
-- or whose pick's download failed or was cancelled.
SELECT w.id, w.user_id, w.media_id, w.season, w.episode, w.attempts, ms.cutoff
FROM wanted w
JOIN monitored_shows ms ON ms.user_id = w.user_id AND ms.media_id = w.media_id AND ms.auto_get
JOIN episodes e ON e.id = w.episode_id
WHERE e.air_date <= CURRENT_DATE
  AND (w.pick_id IS NULL OR NOT EXISTS (
        SELECT 1 FROM picks p JOIN download_jobs j ON j.id = p.job_id
        WHERE p.id = w.pick_id AND j.status NOT IN ('failed', 'cancelled')))
  AND (w.next_search_at IS NULL OR w.next_search_at <= now())
  AND NOT EXISTS (SELECT 1 FROM library_items li
                  WHERE li.match_state = 'matched' AND li.media_id = w.media_id AND li.episode_id = w.episode_id)
ORDER BY w.next_search_at NULLS FIRST, e.air_date, w.id
LIMIT :limit;

-- name: monitor_searched(wanted_id, pick_id, last_error, retry_seconds)!
-- The outcome of one search: a grab (pick_id) or a failure/empty answer retried retry_seconds later.
UPDATE wanted
SET attempts = attempts + 1, last_searched_at = now(), pick_id = coalesce(:pick_id, pick_id),
    last_error = :last_error,
    next_search_at = CASE WHEN CAST(:retry_seconds AS integer) IS NULL THEN NULL
                          ELSE now() + make_interval(secs => CAST(:retry_seconds AS integer)) END
WHERE id = :wanted_id;

-- name: wanted_link_pick(user_id, media_id, season, episode, pick_id)!
-- A pick made for a wanted movie or episode (by hand or by monitoring) is recorded on it; a season
-- pack's pick on every wanted episode of its season (monitoring does not grab them one by one).
UPDATE wanted SET pick_id = :pick_id
WHERE user_id = :user_id AND media_id = :media_id AND season IS NOT DISTINCT FROM CAST(:season AS integer)
  AND (CAST(:episode AS integer) IS NULL OR episode = CAST(:episode AS integer));

-- name: picks_job_ended_badly(job_id)$
-- The pick's download failed, was cancelled or deleted: asking again picks anew.
SELECT NOT EXISTS (SELECT 1 FROM download_jobs
                   WHERE id = CAST(:job_id AS uuid) AND status NOT IN ('failed', 'cancelled'));

-- name: monitored_for(user_id, media_ids)
SELECT * FROM monitored_shows WHERE user_id = :user_id AND media_id = ANY(CAST(:media_ids AS bigint[]));
