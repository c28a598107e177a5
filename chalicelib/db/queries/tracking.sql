-- Tracking: per-user watch later, history, progress, ratings, favorites,
-- follows, game backlog and collections. Every query that reads or writes a
-- user's row filters on :user_id; another user's row is simply not found.
-- Card columns (media_id, media_type, title, year, poster_path) come from a
-- join on media_items so responses never need a second round trip.

-- ---------------------------------------------------------------- catalog

-- name: tracking_media(media_id)^
-- The catalog row a tracking write refers to (existence and media type).
SELECT id, media_type, title, year, poster_path, backdrop_path, status
FROM media_items
WHERE id = :media_id;

-- name: tracking_episode(media_id, episode_id)^
-- The episode, only when it belongs to that show.
SELECT id, media_id, season_number, episode_number
FROM episodes
WHERE id = :episode_id AND media_id = :media_id;

-- name: tracking_platform_exists(platform_id)$
SELECT EXISTS (SELECT 1 FROM platforms WHERE id = :platform_id);

-- name: tracking_threshold(user_id)$
-- The user's watched threshold; 90 when they never saved preferences.
SELECT coalesce((SELECT watched_threshold_percent FROM user_preferences WHERE user_id = :user_id), 90);

-- ------------------------------------------------------------ watch later

-- name: tracking_watch_later_add(user_id, media_id)!
INSERT INTO user_watch_later (user_id, media_id)
SELECT :user_id, id FROM media_items WHERE id = :media_id
ON CONFLICT (user_id, media_id) DO NOTHING;

-- name: tracking_watch_later_get(user_id, media_id)^
SELECT w.position, w.created_at AS added_at,
       m.id AS media_id, m.media_type, m.title, m.year, m.poster_path, m.backdrop_path
FROM user_watch_later w
JOIN media_items m ON m.id = w.media_id
WHERE w.user_id = :user_id AND w.media_id = :media_id;

-- name: tracking_watch_later_list(user_id, media_type, limit, offset)
SELECT w.position, w.created_at AS added_at,
       m.id AS media_id, m.media_type, m.title, m.year, m.poster_path, m.backdrop_path
FROM user_watch_later w
JOIN media_items m ON m.id = w.media_id
WHERE w.user_id = :user_id AND (:media_type::text IS NULL OR m.media_type = :media_type)
ORDER BY w.position, w.created_at DESC, w.media_id DESC
LIMIT :limit OFFSET :offset;

-- name: tracking_watch_later_count(user_id, media_type)$
SELECT count(*)
FROM user_watch_later w
JOIN media_items m ON m.id = w.media_id
WHERE w.user_id = :user_id AND (:media_type::text IS NULL OR m.media_type = :media_type);

-- name: tracking_watch_later_remove(user_id, media_id)!
DELETE FROM user_watch_later WHERE user_id = :user_id AND media_id = :media_id;

-- name: tracking_watch_later_lock(user_id)
-- The list's ids, locked, so a reorder compares against what it rewrites.
SELECT media_id FROM user_watch_later WHERE user_id = :user_id FOR UPDATE;

-- name: tracking_watch_later_reorder(user_id, media_ids)!
UPDATE user_watch_later w
SET position = o.ord, updated_at = now()
FROM unnest(:media_ids::bigint[]) WITH ORDINALITY AS o (media_id, ord)
WHERE w.user_id = :user_id AND w.media_id = o.media_id;

-- ---------------------------------------------------------------- history

-- name: tracking_mark_watched(user_id, media_id, episode_id, watched_at)^
-- One watch of a movie or an episode (a rewatch is another row), and the
-- resume point of that item is closed in the same statement. No row when the
-- media/episode pair is not a movie or an episode of that show.
WITH item AS (
    SELECT m.id AS media_id, e.id AS episode_id
    FROM media_items m
    LEFT JOIN episodes e ON e.id = :episode_id::bigint AND e.media_id = m.id
    WHERE m.id = :media_id
      AND ((m.media_type IN ('movie', 'video') AND :episode_id::bigint IS NULL)
           OR (m.media_type = 'show' AND e.id IS NOT NULL))
),
ins AS (
    INSERT INTO user_watched (user_id, media_id, episode_id, watched_at, source)
    SELECT :user_id, media_id, episode_id, coalesce(:watched_at::timestamptz, now()), 'manual' FROM item
    RETURNING id, media_id, episode_id, watched_at, source
),
closed AS (
    UPDATE user_progress p
    SET completed_at = now(), position_seconds = 0, updated_at = now()
    FROM item
    WHERE p.user_id = :user_id AND p.media_id = item.media_id
      AND p.episode_id IS NOT DISTINCT FROM item.episode_id AND p.completed_at IS NULL
)
SELECT ins.id, ins.watched_at, ins.source,
       m.id AS media_id, m.media_type, m.title, m.year, m.poster_path, m.backdrop_path,
       e.id AS episode_id, e.season_number, e.episode_number, e.name AS episode_name
FROM ins
JOIN media_items m ON m.id = ins.media_id
LEFT JOIN episodes e ON e.id = ins.episode_id;

-- name: tracking_mark_bulk(user_id, media_id, season_number, watched_at)^
-- Marks every aired episode of a season (or of the whole show, specials
-- excluded) that has no history row yet, in ONE statement, and closes their
-- resume points. Already watched episodes are left alone, so repeating the
-- call adds nothing. show_found / season_found explain an empty result.
WITH show AS (
    SELECT id FROM media_items WHERE id = :media_id AND media_type = 'show'
),
season AS (
    SELECT 1 FROM seasons s JOIN show ON s.media_id = show.id
    WHERE :season_number::int IS NULL OR s.season_number = :season_number::int
    LIMIT 1
),
scope AS (
    SELECT e.id, e.media_id
    FROM episodes e JOIN show ON e.media_id = show.id
    WHERE (CASE WHEN :season_number::int IS NULL THEN e.season_number > 0
                ELSE e.season_number = :season_number::int END)
      AND e.air_date <= current_date
),
ins AS (
    INSERT INTO user_watched (user_id, media_id, episode_id, watched_at, source)
    SELECT :user_id, s.media_id, s.id, coalesce(:watched_at::timestamptz, now()), 'manual'
    FROM scope s
    WHERE NOT EXISTS (SELECT 1 FROM user_watched w
                      WHERE w.user_id = :user_id AND w.media_id = s.media_id AND w.episode_id = s.id)
    RETURNING 1
),
closed AS (
    UPDATE user_progress p
    SET completed_at = now(), position_seconds = 0, updated_at = now()
    FROM scope s
    WHERE p.user_id = :user_id AND p.media_id = s.media_id AND p.episode_id = s.id AND p.completed_at IS NULL
)
SELECT EXISTS (SELECT 1 FROM show) AS show_found,
       EXISTS (SELECT 1 FROM season) AS season_found,
       (SELECT count(*) FROM ins) AS added;

-- name: tracking_history_list(user_id, media_type, media_id, since, until, limit, offset)
SELECT w.id, w.watched_at, w.source,
       m.id AS media_id, m.media_type, m.title, m.year, m.poster_path, m.backdrop_path,
       e.id AS episode_id, e.season_number, e.episode_number, e.name AS episode_name
FROM user_watched w
JOIN media_items m ON m.id = w.media_id
LEFT JOIN episodes e ON e.id = w.episode_id
WHERE w.user_id = :user_id
  AND (:media_type::text IS NULL OR m.media_type = :media_type)
  AND (:media_id::bigint IS NULL OR w.media_id = :media_id)
  AND (:since::timestamptz IS NULL OR w.watched_at >= :since)
  AND (:until::timestamptz IS NULL OR w.watched_at < :until)
-- A season marked at once shares one watched_at: show it in episode order.
ORDER BY w.watched_at DESC, e.season_number DESC NULLS LAST, e.episode_number DESC NULLS LAST, w.id DESC
LIMIT :limit OFFSET :offset;

-- name: tracking_history_count(user_id, media_type, media_id, since, until)$
SELECT count(*)
FROM user_watched w
JOIN media_items m ON m.id = w.media_id
WHERE w.user_id = :user_id
  AND (:media_type::text IS NULL OR m.media_type = :media_type)
  AND (:media_id::bigint IS NULL OR w.media_id = :media_id)
  AND (:since::timestamptz IS NULL OR w.watched_at >= :since)
  AND (:until::timestamptz IS NULL OR w.watched_at < :until);

-- name: tracking_history_delete_entry(user_id, entry_id)!
DELETE FROM user_watched WHERE id = :entry_id AND user_id = :user_id;

-- name: tracking_history_unmark(user_id, media_id, episode_id, season_number, latest_only)$
-- Removes the latest matching watch (latest_only) or every matching watch of
-- a movie, an episode, a season or a whole show.
WITH doomed AS (
    SELECT w.id
    FROM user_watched w
    LEFT JOIN episodes e ON e.id = w.episode_id
    WHERE w.user_id = :user_id AND w.media_id = :media_id
      AND (:episode_id::bigint IS NULL OR w.episode_id = :episode_id)
      AND (:season_number::int IS NULL OR e.season_number = :season_number)
    ORDER BY w.watched_at DESC, w.created_at DESC, w.id DESC
    LIMIT CASE WHEN :latest_only THEN 1 END
),
gone AS (
    DELETE FROM user_watched w USING doomed d WHERE w.id = d.id AND w.user_id = :user_id RETURNING 1
)
SELECT count(*) FROM gone;

-- --------------------------------------------------------------- progress

-- name: tracking_heartbeat(user_id, media_id, episode_id, position_seconds, duration_seconds, reopen_grace_seconds)^
-- The player's heartbeat in ONE statement: validate the item, upsert the
-- resume point and, the first time the position crosses the user's
-- threshold, write one history row and clear the resume point.
--
-- Exactly once: `prior` locks the existing row (FOR UPDATE re-reads the
-- newest version after waiting), so its completed_at is the value this
-- statement replaces. The update only runs when `prior` saw the row; a row
-- inserted concurrently after this statement's snapshot makes the upsert a
-- no-op (no `up` row) and the service re-runs the statement, which then sees
-- and locks it. A heartbeat below the threshold reopens a completed item (a
-- rewatch) unless completion is younger than the grace period: that is a
-- late or redelivered heartbeat from before the end, not a new watch.
-- prior_*: the row as it was (NULL when new), so the caller can tell the one
-- heartbeat that crosses the next-episode prefetch point without a cache read.
-- An ordinary heartbeat commits asynchronously (synchronous_commit off for
-- this statement only); one that records a watch commits durably.
WITH item AS (
    SELECT m.id AS media_id, e.id AS episode_id,
           coalesce(pref.watched_threshold_percent, 90) AS threshold
    FROM media_items m
    LEFT JOIN episodes e ON e.id = :episode_id::bigint AND e.media_id = m.id
    LEFT JOIN user_preferences pref ON pref.user_id = :user_id
    WHERE m.id = :media_id
      AND ((m.media_type IN ('movie', 'video') AND :episode_id::bigint IS NULL)
           OR (m.media_type = 'show' AND e.id IS NOT NULL))
),
prior AS (
    SELECT p.completed_at, p.position_seconds, p.duration_seconds
    FROM user_progress p JOIN item ON p.media_id = item.media_id
    WHERE p.user_id = :user_id AND p.episode_id IS NOT DISTINCT FROM item.episode_id
    FOR UPDATE OF p
),
up AS (
    INSERT INTO user_progress AS p (user_id, media_id, episode_id, position_seconds, duration_seconds, completed_at)
    SELECT :user_id, item.media_id, item.episode_id,
           CASE WHEN reached THEN 0 ELSE :position_seconds::numeric END,
           :duration_seconds::numeric,
           CASE WHEN reached THEN now() END
    FROM item
    CROSS JOIN LATERAL (
        SELECT :position_seconds::numeric >= :duration_seconds::numeric * item.threshold / 100 AS reached
    ) r
    LEFT JOIN prior ON true  -- evaluates (and locks) prior before the upsert
    ON CONFLICT ON CONSTRAINT user_progress_item_key DO UPDATE SET
        position_seconds = CASE
            WHEN excluded.completed_at IS NOT NULL THEN 0
            WHEN p.completed_at > now() - make_interval(secs => :reopen_grace_seconds) THEN p.position_seconds
            ELSE excluded.position_seconds END,
        duration_seconds = excluded.duration_seconds,
        completed_at = CASE
            WHEN excluded.completed_at IS NOT NULL THEN coalesce(p.completed_at, excluded.completed_at)
            WHEN p.completed_at > now() - make_interval(secs => :reopen_grace_seconds) THEN p.completed_at
            ELSE NULL END,
        updated_at = now()
    WHERE EXISTS (SELECT 1 FROM prior)
    RETURNING p.media_id, p.episode_id, p.position_seconds, p.duration_seconds, p.completed_at,
              (p.xmax = 0) AS inserted
),
history AS (
    INSERT INTO user_watched (user_id, media_id, episode_id, watched_at, source)
    SELECT :user_id, up.media_id, up.episode_id, up.completed_at, 'player'
    FROM up LEFT JOIN prior ON true
    WHERE up.completed_at IS NOT NULL AND (up.inserted OR prior.completed_at IS NULL)
    RETURNING 1
)
SELECT EXISTS (SELECT 1 FROM item) AS item_found,
       EXISTS (SELECT 1 FROM up) AS applied,
       up.position_seconds, up.duration_seconds, up.completed_at, coalesce(up.inserted, false) AS inserted,
       EXISTS (SELECT 1 FROM history) AS history_recorded,
       prior.position_seconds AS prior_position, prior.duration_seconds AS prior_duration,
       prior.completed_at IS NOT NULL AS prior_completed,
       -- Durable only when a watch is recorded: waiting for the WAL flush was most of an ordinary
       -- heartbeat's time. Read at this statement's commit; the next heartbeat (~10 s) replaces the
       -- position anyway, and a crash can lose the last ~0.6 s of them, never a watch (see above).
       set_config('synchronous_commit', CASE WHEN EXISTS (SELECT 1 FROM history) THEN 'on' ELSE 'off' END,
                  true) AS commit_mode
FROM (SELECT 1) one
LEFT JOIN up ON true
LEFT JOIN prior ON true;

-- name: tracking_resume_points(user_id, media_id, limit)
-- Open resume points (completed ones have none), newest first.
SELECT p.position_seconds, p.duration_seconds, p.updated_at,
       m.id AS media_id, m.media_type, m.title, m.year, m.poster_path, m.backdrop_path,
       e.id AS episode_id, e.season_number, e.episode_number, e.name AS episode_name
FROM user_progress p
JOIN media_items m ON m.id = p.media_id
LEFT JOIN episodes e ON e.id = p.episode_id
WHERE p.user_id = :user_id AND p.completed_at IS NULL
  AND (:media_id::bigint IS NULL OR p.media_id = :media_id)
ORDER BY p.updated_at DESC
LIMIT :limit;

-- name: tracking_up_next(user_id, media_id, limit)
-- Per show the user watched (most recent first): the first aired regular
-- episode after the most recently watched one that has no history row.
-- This is the one definition of "next episode" (continue watching and show
-- progress both read it).
WITH shows AS (
    SELECT w.media_id, max(w.watched_at) AS last_watched_at
    FROM user_watched w
    WHERE w.user_id = :user_id AND w.episode_id IS NOT NULL
      AND (:media_id::bigint IS NULL OR w.media_id = :media_id)
    GROUP BY w.media_id
    ORDER BY last_watched_at DESC
    LIMIT :limit
)
SELECT s.media_id, s.last_watched_at, m.media_type, m.title, m.year, m.poster_path, m.backdrop_path,
       nx.id AS episode_id, nx.season_number, nx.episode_number, nx.name AS episode_name
FROM shows s
JOIN media_items m ON m.id = s.media_id
CROSS JOIN LATERAL (
    SELECT e.season_number, e.episode_number
    FROM user_watched w JOIN episodes e ON e.id = w.episode_id
    WHERE w.user_id = :user_id AND w.media_id = s.media_id
    ORDER BY w.watched_at DESC, e.season_number DESC, e.episode_number DESC
    LIMIT 1
) last
CROSS JOIN LATERAL (
    SELECT e.id, e.season_number, e.episode_number, e.name
    FROM episodes e
    WHERE e.media_id = s.media_id AND e.season_number > 0 AND e.air_date <= current_date
      AND (e.season_number, e.episode_number) > (last.season_number, last.episode_number)
      AND NOT EXISTS (SELECT 1 FROM user_watched w
                      WHERE w.user_id = :user_id AND w.media_id = e.media_id AND w.episode_id = e.id)
    ORDER BY e.season_number, e.episode_number
    LIMIT 1
) nx
ORDER BY s.last_watched_at DESC;

-- name: tracking_show_episodes(user_id, media_id)
-- Every episode of a show with this user's plays, for show progress.
SELECT e.id AS episode_id, e.season_number, e.episode_number, e.name AS episode_name, e.air_date,
       (e.air_date <= current_date) AS aired,
       count(w.id) AS plays, max(w.watched_at) AS last_watched_at
FROM episodes e
LEFT JOIN user_watched w ON w.episode_id = e.id AND w.user_id = :user_id
WHERE e.media_id = :media_id
GROUP BY e.id
ORDER BY e.season_number, e.episode_number;

-- ---------------------------------------------------- ratings & favorites

-- name: tracking_rating_set(user_id, media_id, rating)^
INSERT INTO user_ratings AS r (user_id, media_id, rating)
SELECT :user_id, id, :rating FROM media_items WHERE id = :media_id
ON CONFLICT (user_id, media_id) DO UPDATE SET rating = excluded.rating, updated_at = now()
RETURNING r.rating, r.created_at, r.updated_at;

-- name: tracking_rating_get(user_id, media_id)^
SELECT r.rating, r.created_at, r.updated_at,
       m.id AS media_id, m.media_type, m.title, m.year, m.poster_path, m.backdrop_path
FROM user_ratings r JOIN media_items m ON m.id = r.media_id
WHERE r.user_id = :user_id AND r.media_id = :media_id;

-- name: tracking_rating_delete(user_id, media_id)!
DELETE FROM user_ratings WHERE user_id = :user_id AND media_id = :media_id;

-- name: tracking_ratings_list(user_id, media_type, limit, offset)
SELECT r.rating, r.created_at, r.updated_at,
       m.id AS media_id, m.media_type, m.title, m.year, m.poster_path, m.backdrop_path
FROM user_ratings r JOIN media_items m ON m.id = r.media_id
WHERE r.user_id = :user_id AND (:media_type::text IS NULL OR m.media_type = :media_type)
ORDER BY r.updated_at DESC, r.media_id DESC
LIMIT :limit OFFSET :offset;

-- name: tracking_ratings_count(user_id, media_type)$
SELECT count(*) FROM user_ratings r JOIN media_items m ON m.id = r.media_id
WHERE r.user_id = :user_id AND (:media_type::text IS NULL OR m.media_type = :media_type);

-- name: tracking_favorite_add(user_id, media_id)!
INSERT INTO user_favorites (user_id, media_id)
SELECT :user_id, id FROM media_items WHERE id = :media_id
ON CONFLICT (user_id, media_id) DO NOTHING;

-- name: tracking_favorite_get(user_id, media_id)^
SELECT f.created_at AS added_at, m.id AS media_id, m.media_type, m.title, m.year, m.poster_path, m.backdrop_path
FROM user_favorites f JOIN media_items m ON m.id = f.media_id
WHERE f.user_id = :user_id AND f.media_id = :media_id;

-- name: tracking_favorite_delete(user_id, media_id)!
DELETE FROM user_favorites WHERE user_id = :user_id AND media_id = :media_id;

-- name: tracking_favorites_list(user_id, media_type, limit, offset)
SELECT f.created_at AS added_at, m.id AS media_id, m.media_type, m.title, m.year, m.poster_path, m.backdrop_path
FROM user_favorites f JOIN media_items m ON m.id = f.media_id
WHERE f.user_id = :user_id AND (:media_type::text IS NULL OR m.media_type = :media_type)
ORDER BY f.created_at DESC, f.media_id DESC
LIMIT :limit OFFSET :offset;

-- name: tracking_favorites_count(user_id, media_type)$
SELECT count(*) FROM user_favorites f JOIN media_items m ON m.id = f.media_id
WHERE f.user_id = :user_id AND (:media_type::text IS NULL OR m.media_type = :media_type);

-- ---------------------------------------------------------------- follows

-- name: tracking_follow_set(user_id, media_id, state)^
INSERT INTO user_follows AS f (user_id, media_id, state)
SELECT :user_id, id, :state FROM media_items WHERE id = :media_id AND media_type = 'show'
ON CONFLICT (user_id, media_id) DO UPDATE SET state = excluded.state, updated_at = now()
RETURNING f.state, f.updated_at;

-- name: tracking_follow_delete(user_id, media_id)!
DELETE FROM user_follows WHERE user_id = :user_id AND media_id = :media_id;

-- name: tracking_show_followers()
-- Users who may follow a show (an explicit follow, or a watched or started episode): whose follows the
-- calendar fill and the episode notifications must know. The follow rule itself is tracking_follow_states.
SELECT DISTINCT user_id FROM (
    SELECT user_id FROM user_follows WHERE state = 'follow'
    UNION ALL SELECT user_id FROM user_watched WHERE episode_id IS NOT NULL
    UNION ALL SELECT user_id FROM user_progress WHERE episode_id IS NOT NULL
    -- Everyone, once a media server holds a show: owned airing shows are followed by default.
    UNION ALL SELECT id FROM users WHERE EXISTS (
        SELECT 1 FROM media_server_items si JOIN media_servers ms ON ms.id = si.server_id
        WHERE si.kind = 'show' AND si.media_id IS NOT NULL AND ms.enabled)
) t
WHERE EXISTS (SELECT 1 FROM users u WHERE u.id = t.user_id AND u.disabled_at IS NULL)
ORDER BY user_id;

-- name: tracking_follow_states(user_id)
-- The one definition of what a user follows (the calendar reads it through follows.followed_show_ids):
-- explicit follows and mutes, plus shows followed by default because the user tracks or owns them and
-- they are still airing (status returning/in production/planned, or, status unknown, an episode still
-- to air). Tracking: the show is on the user's watch later list, or they watched or started one of its
-- episodes. Owning: a library file matched to the show that the user downloaded, or that the scanner
-- found on the household's disk (no download behind it). An explicit row, follow or mute, always wins;
-- ``implicit`` says whether the default would follow the show (unfollowing it then writes a mute).
WITH explicit AS (
    SELECT media_id, state, updated_at AS since FROM user_follows WHERE user_id = :user_id
),
tracking AS (
    SELECT media_id, max(at) AS since FROM (
        SELECT media_id, watched_at AS at FROM user_watched WHERE user_id = :user_id AND episode_id IS NOT NULL
        UNION ALL
        SELECT media_id, updated_at FROM user_progress WHERE user_id = :user_id AND episode_id IS NOT NULL
        UNION ALL
        SELECT media_id, created_at FROM user_watch_later WHERE user_id = :user_id
        UNION ALL
        SELECT li.media_id, li.created_at FROM library_items li
        LEFT JOIN download_jobs j ON j.id = li.source_job_id
        WHERE li.match_state = 'matched' AND li.media_id IS NOT NULL
          AND (li.source_job_id IS NULL OR j.user_id = :user_id)
        UNION ALL
        -- On the household's Jellyfin or Plex: owned like the library's own files.
        SELECT si.media_id, si.updated_at FROM media_server_items si JOIN media_servers ms ON ms.id = si.server_id
        WHERE si.kind = 'show' AND si.media_id IS NOT NULL AND ms.enabled
    ) activity
    GROUP BY media_id
),
implicit AS (
    SELECT t.media_id, t.since
    FROM tracking t JOIN media_items m ON m.id = t.media_id
    WHERE m.media_type = 'show'
      AND (m.status IN ('returning', 'in_production', 'planned', 'post_production')
           OR (m.status IS NULL
               AND EXISTS (SELECT 1 FROM episodes e WHERE e.media_id = m.id AND e.air_date > current_date)))
)
SELECT x.state, x.since, x.implicit, m.id AS media_id, m.media_type, m.title, m.year, m.poster_path,
       m.backdrop_path, m.status
FROM (SELECT e.media_id, e.state, e.since, i.media_id IS NOT NULL AS implicit
      FROM explicit e LEFT JOIN implicit i ON i.media_id = e.media_id
      UNION ALL
      SELECT i.media_id, 'implicit', i.since, true FROM implicit i
      WHERE NOT EXISTS (SELECT 1 FROM explicit e WHERE e.media_id = i.media_id)) x
JOIN media_items m ON m.id = x.media_id
ORDER BY x.since DESC, m.id DESC;

-- ---------------------------------------------------------------- backlog

-- name: tracking_backlog_lock(user_id, media_id)^
SELECT status, hours_played, completion_percent, started_on, finished_on, platform_id
FROM user_game_status WHERE user_id = :user_id AND media_id = :media_id
FOR UPDATE;

-- name: tracking_backlog_upsert(user_id, media_id, status, hours_played, completion_percent, started_on, finished_on, platform_id, played)!
INSERT INTO user_game_status AS g (user_id, media_id, status, hours_played, completion_percent,
                                   started_on, finished_on, platform_id, last_played_at)
VALUES (:user_id, :media_id, :status, :hours_played, :completion_percent, :started_on, :finished_on,
        :platform_id, CASE WHEN :played THEN now() END)
ON CONFLICT (user_id, media_id) DO UPDATE SET
    status = excluded.status, hours_played = excluded.hours_played,
    completion_percent = excluded.completion_percent, started_on = excluded.started_on,
    finished_on = excluded.finished_on, platform_id = excluded.platform_id,
    last_played_at = CASE WHEN :played THEN now() ELSE g.last_played_at END,
    updated_at = now();

-- name: tracking_backlog_delete(user_id, media_id)!
DELETE FROM user_game_status WHERE user_id = :user_id AND media_id = :media_id;

-- name: tracking_backlog_list(user_id, media_id)
SELECT g.status, g.hours_played, g.completion_percent, g.started_on, g.finished_on, g.last_played_at,
       g.updated_at, pl.id AS platform_id, pl.name AS platform_name,
       m.id AS media_id, m.media_type, m.title, m.year, m.poster_path, m.backdrop_path
FROM user_game_status g
JOIN media_items m ON m.id = g.media_id
LEFT JOIN platforms pl ON pl.id = g.platform_id
WHERE g.user_id = :user_id AND (:media_id::bigint IS NULL OR g.media_id = :media_id)
ORDER BY g.status, g.updated_at DESC, g.media_id DESC;

-- ------------------------------------------------------------ collections

-- name: tracking_collections_list(user_id)
SELECT c.id, c.name, c.description, c.position, c.created_at, c.updated_at,
       (SELECT count(*) FROM collection_items i WHERE i.collection_id = c.id) AS item_count,
       (SELECT to_jsonb(s) FROM collection_sources s WHERE s.collection_id = c.id) AS source
FROM collections c
WHERE c.user_id = :user_id
ORDER BY c.position, c.created_at, c.id;

-- name: tracking_collection_get(user_id, collection_id)^
SELECT c.id, c.name, c.description, c.position, c.created_at, c.updated_at,
       (SELECT count(*) FROM collection_items i WHERE i.collection_id = c.id) AS item_count,
       (SELECT to_jsonb(s) FROM collection_sources s WHERE s.collection_id = c.id) AS source
FROM collections c
WHERE c.id = :collection_id AND c.user_id = :user_id;

-- name: tracking_collection_lock(user_id, collection_id)^
-- The collection, locked: item writes and reorders of one collection queue up.
SELECT c.id, c.name, c.description, c.position, c.created_at, c.updated_at,
       (SELECT count(*) FROM collection_items i WHERE i.collection_id = c.id) AS item_count,
       (SELECT to_jsonb(s) FROM collection_sources s WHERE s.collection_id = c.id) AS source
FROM collections c
WHERE c.id = :collection_id AND c.user_id = :user_id
FOR UPDATE OF c;

-- name: tracking_collection_create(user_id, name, description)^
INSERT INTO collections (user_id, name, description, position)
VALUES (:user_id, :name, :description,
        (SELECT coalesce(max(position), 0) + 1 FROM collections WHERE user_id = :user_id))
RETURNING id, name, description, position, created_at, updated_at, 0 AS item_count, NULL::jsonb AS source;

-- name: tracking_collection_update(user_id, collection_id, name, description)^
UPDATE collections c
SET name = :name, description = :description, updated_at = now()
WHERE c.id = :collection_id AND c.user_id = :user_id
RETURNING c.id, c.name, c.description, c.position, c.created_at, c.updated_at,
          (SELECT count(*) FROM collection_items i WHERE i.collection_id = c.id) AS item_count,
          (SELECT to_jsonb(s) FROM collection_sources s WHERE s.collection_id = c.id) AS source;

-- name: tracking_collection_touch(user_id, collection_id)!
UPDATE collections SET updated_at = now() WHERE id = :collection_id AND user_id = :user_id;

-- name: tracking_collection_delete(user_id, collection_id)!
DELETE FROM collections WHERE id = :collection_id AND user_id = :user_id;

-- name: tracking_collections_lock(user_id)
SELECT id FROM collections WHERE user_id = :user_id FOR UPDATE;

-- name: tracking_collections_reorder(user_id, collection_ids)!
UPDATE collections c
SET position = o.ord, updated_at = now()
FROM unnest(:collection_ids::uuid[]) WITH ORDINALITY AS o (id, ord)
WHERE c.user_id = :user_id AND c.id = o.id;

-- name: tracking_collection_items(user_id, collection_id, limit, offset)
SELECT i.position, i.note, i.created_at AS added_at,
       m.id AS media_id, m.media_type, m.title, m.year, m.poster_path, m.backdrop_path
FROM collection_items i
JOIN collections c ON c.id = i.collection_id AND c.user_id = :user_id
JOIN media_items m ON m.id = i.media_id
WHERE i.collection_id = :collection_id
ORDER BY i.position, i.created_at, i.media_id
LIMIT :limit OFFSET :offset;

-- name: tracking_collection_item_add(collection_id, media_id, note)!
-- Appended at the end; adding an item again only updates its note.
INSERT INTO collection_items AS i (collection_id, media_id, note, position)
SELECT :collection_id, m.id, :note,
       (SELECT coalesce(max(position), 0) + 1 FROM collection_items WHERE collection_id = :collection_id)
FROM media_items m WHERE m.id = :media_id
ON CONFLICT (collection_id, media_id) DO UPDATE
SET note = coalesce(excluded.note, i.note), updated_at = now();

-- name: tracking_collection_item_get(user_id, collection_id, media_id)^
SELECT i.position, i.note, i.created_at AS added_at,
       m.id AS media_id, m.media_type, m.title, m.year, m.poster_path, m.backdrop_path
FROM collection_items i
JOIN collections c ON c.id = i.collection_id AND c.user_id = :user_id
JOIN media_items m ON m.id = i.media_id
WHERE i.collection_id = :collection_id AND i.media_id = :media_id;

-- name: tracking_collection_item_remove(collection_id, media_id)!
DELETE FROM collection_items WHERE collection_id = :collection_id AND media_id = :media_id;

-- name: tracking_collection_item_ids(collection_id)
SELECT media_id FROM collection_items WHERE collection_id = :collection_id;

-- name: tracking_collection_items_reorder(collection_id, media_ids)!
UPDATE collection_items i
SET position = o.ord, updated_at = now()
FROM unnest(:media_ids::bigint[]) WITH ORDINALITY AS o (media_id, ord)
WHERE i.collection_id = :collection_id AND i.media_id = o.media_id;

-- ----------------------------------------------------------------- export

-- name: tracking_snapshot()!
-- First statement of the export's transaction: every read sees one snapshot.
SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY;

-- name: tracking_export_watch_later(user_id)
SELECT media_id, position, created_at AS added_at FROM user_watch_later
WHERE user_id = :user_id ORDER BY position, created_at DESC, media_id DESC;

-- name: tracking_export_history(user_id)
SELECT id, media_id, episode_id, watched_at, source FROM user_watched
WHERE user_id = :user_id ORDER BY watched_at, id;

-- name: tracking_export_progress(user_id)
SELECT media_id, episode_id, position_seconds, duration_seconds, completed_at, updated_at FROM user_progress
WHERE user_id = :user_id ORDER BY updated_at, id;

-- name: tracking_export_ratings(user_id)
SELECT media_id, rating, updated_at FROM user_ratings WHERE user_id = :user_id ORDER BY media_id;

-- name: tracking_export_favorites(user_id)
SELECT media_id, created_at AS added_at FROM user_favorites WHERE user_id = :user_id ORDER BY media_id;

-- name: tracking_export_follows(user_id)
SELECT media_id, state, updated_at FROM user_follows WHERE user_id = :user_id ORDER BY media_id;

-- name: tracking_export_backlog(user_id)
SELECT media_id, status, hours_played, completion_percent, started_on, finished_on, platform_id, last_played_at
FROM user_game_status WHERE user_id = :user_id ORDER BY media_id;

-- name: tracking_export_collections(user_id)
SELECT c.id, c.name, c.description, c.position, c.created_at,
       coalesce(jsonb_agg(jsonb_build_object('mediaId', i.media_id, 'position', i.position, 'note', i.note)
                          ORDER BY i.position, i.created_at) FILTER (WHERE i.media_id IS NOT NULL),
                '[]'::jsonb) AS items
FROM collections c LEFT JOIN collection_items i ON i.collection_id = c.id
WHERE c.user_id = :user_id
GROUP BY c.id
ORDER BY c.position, c.created_at;

-- name: tracking_export_media(user_id)
-- Titles of everything the export mentions, so the file reads on its own.
SELECT m.id AS media_id, m.media_type, m.title, m.year, m.tmdb_id, m.igdb_id, m.imdb_id
FROM media_items m
WHERE m.id IN (
    SELECT media_id FROM user_watch_later WHERE user_id = :user_id
    UNION SELECT media_id FROM user_watched WHERE user_id = :user_id
    UNION SELECT media_id FROM user_progress WHERE user_id = :user_id
    UNION SELECT media_id FROM user_ratings WHERE user_id = :user_id
    UNION SELECT media_id FROM user_favorites WHERE user_id = :user_id
    UNION SELECT media_id FROM user_follows WHERE user_id = :user_id
    UNION SELECT media_id FROM user_game_status WHERE user_id = :user_id
    UNION SELECT i.media_id FROM collection_items i JOIN collections c ON c.id = i.collection_id
          WHERE c.user_id = :user_id
)
ORDER BY m.id;

-- name: tracking_export_episodes(user_id)
SELECT e.id AS episode_id, e.media_id, e.season_number, e.episode_number, e.name
FROM episodes e
WHERE e.id IN (
    SELECT episode_id FROM user_watched WHERE user_id = :user_id AND episode_id IS NOT NULL
    UNION SELECT episode_id FROM user_progress WHERE user_id = :user_id AND episode_id IS NOT NULL
)
ORDER BY e.media_id, e.season_number, e.episode_number;

-- ------------------------------------------------------------ title state

-- name: tracking_title_state(user_id, media_id)^
-- One title with the user's watch later, favorite, rating and watch counts (each join scoped by user_id).
SELECT m.id AS media_id, m.media_type, m.title, m.year, m.poster_path, m.backdrop_path,
       wl.created_at AS watch_later_added_at, fav.created_at AS favorited_at,
       r.rating, r.updated_at AS rated_at, w.watched_count, w.last_watched_at
FROM media_items m
LEFT JOIN user_watch_later wl ON wl.user_id = :user_id AND wl.media_id = m.id
LEFT JOIN user_favorites fav ON fav.user_id = :user_id AND fav.media_id = m.id
LEFT JOIN user_ratings r ON r.user_id = :user_id AND r.media_id = m.id
CROSS JOIN LATERAL (
    SELECT count(*) AS watched_count, max(watched_at) AS last_watched_at
    FROM user_watched WHERE user_id = :user_id AND media_id = m.id
) w
WHERE m.id = :media_id;

-- name: tracking_title_playable(media_id)
-- Matched library files of a title that have a playable stream, in episode order. The library is
-- the instance's (shared by its users), so this is the one lookup here without a user_id.
SELECT li.id AS library_item_id, li.episode_id, e.season_number, e.episode_number
FROM library_items li
LEFT JOIN episodes e ON e.id = li.episode_id
WHERE li.media_id = :media_id AND li.match_state = 'matched'
  AND EXISTS (SELECT 1 FROM library_streams st WHERE st.library_item_id = li.id)
ORDER BY e.season_number NULLS FIRST, e.episode_number NULLS FIRST, li.created_at, li.id;
