-- Recommendations: the user's taste signals, candidate titles, snapshots,
-- dismissals and onboarding genres. Every per-user query filters on :user_id.
-- Candidate queries take the ids the user already knows (:excluded) so a
-- "top N" list is N titles the user has not seen, not N minus their history.

-- ---------------------------------------------------------------- signals

-- name: recs_user_signals(user_id)
-- One row per title the user has touched, with every kind of signal side by
-- side (aggregated per table first, so a 2,000-item history is a few hash joins).
WITH r AS (SELECT media_id, rating, updated_at FROM user_ratings WHERE user_id = :user_id),
f AS (SELECT media_id, updated_at FROM user_favorites WHERE user_id = :user_id),
w AS (SELECT media_id, count(*) AS watches, max(watched_at) AS last_watched
      FROM user_watched WHERE user_id = :user_id GROUP BY media_id),
p AS (SELECT media_id, max(updated_at) AS started_at FROM user_progress WHERE user_id = :user_id GROUP BY media_id),
g AS (SELECT media_id, status, platform_id, updated_at FROM user_game_status WHERE user_id = :user_id),
l AS (SELECT media_id, created_at FROM user_watch_later WHERE user_id = :user_id),
d AS (SELECT media_id, updated_at FROM user_dismissals WHERE user_id = :user_id),
ids AS (
    SELECT media_id FROM r UNION SELECT media_id FROM f UNION SELECT media_id FROM w
    UNION SELECT media_id FROM p UNION SELECT media_id FROM g UNION SELECT media_id FROM l
    UNION SELECT media_id FROM d
)
SELECT ids.media_id, r.rating, r.updated_at AS rated_at, f.updated_at AS favorited_at,
       coalesce(w.watches, 0) AS watches, w.last_watched, p.started_at,
       g.status AS game_status, g.platform_id AS game_platform_id, g.updated_at AS game_at,
       l.created_at AS watch_later_at, d.updated_at AS dismissed_at
FROM ids
LEFT JOIN r USING (media_id) LEFT JOIN f USING (media_id) LEFT JOIN w USING (media_id)
LEFT JOIN p USING (media_id) LEFT JOIN g USING (media_id) LEFT JOIN l USING (media_id)
LEFT JOIN d USING (media_id)
ORDER BY ids.media_id;

-- name: recs_favorite_genre_ids(user_id)
SELECT genre_id FROM user_favorite_genres WHERE user_id = :user_id ORDER BY genre_id;

-- name: recs_taste_states(user_ids, all_users)
-- Per user: a fingerprint of everything that shapes recommendations (row count
-- and latest change per table, so a deletion changes it too), when taste last
-- changed, and the newest snapshot with the fingerprint it was computed from.
-- A snapshot is stale when the fingerprints differ. Playback progress and
-- user_preferences (theme, calendar token, ...) are left out on purpose:
-- heartbeats every few seconds must not make snapshots stale.
SELECT u.id AS user_id, u.last_active_at,
       md5(concat_ws('|', r.n, r.at, f.n, f.at, w.n, w.at, g.n, g.at, l.n, l.at, d.n, d.at, fg.n, fg.at)) AS taste,
       greatest(r.at, f.at, w.at, g.at, l.at, d.at, fg.at) AS taste_changed_at,
       s.id AS snapshot_id, s.computed_at, s.stats ->> 'taste' AS snapshot_taste
FROM users u
CROSS JOIN LATERAL (SELECT count(*) AS n, max(updated_at) AS at FROM user_ratings WHERE user_id = u.id) r
CROSS JOIN LATERAL (SELECT count(*) AS n, max(updated_at) AS at FROM user_favorites WHERE user_id = u.id) f
CROSS JOIN LATERAL (SELECT count(*) AS n, max(updated_at) AS at FROM user_watched WHERE user_id = u.id) w
CROSS JOIN LATERAL (SELECT count(*) AS n, max(updated_at) AS at FROM user_game_status WHERE user_id = u.id) g
CROSS JOIN LATERAL (SELECT count(*) AS n, max(updated_at) AS at FROM user_watch_later WHERE user_id = u.id) l
CROSS JOIN LATERAL (SELECT count(*) AS n, max(updated_at) AS at FROM user_dismissals WHERE user_id = u.id) d
CROSS JOIN LATERAL (SELECT count(*) AS n, max(created_at) AS at FROM user_favorite_genres WHERE user_id = u.id) fg
LEFT JOIN LATERAL (SELECT id, computed_at, stats FROM recommendation_snapshots
                   WHERE user_id = u.id ORDER BY computed_at DESC LIMIT 1) s ON true
WHERE u.disabled_at IS NULL AND (:all_users OR u.id = ANY(:user_ids::uuid[]))
ORDER BY s.computed_at NULLS FIRST, u.id;

-- ------------------------------------------------------------- candidates

-- name: recs_titles(media_ids)
-- What scoring needs about titles (seeds and candidates): type, genres,
-- franchises, platforms, popularity, rating, and whether it is a game add-on.
SELECT m.id, m.media_type, m.title, m.popularity, m.vote_average, m.vote_count, m.adult, m.tmdb_id,
       ARRAY(SELECT genre_id FROM media_genres WHERE media_id = m.id ORDER BY genre_id) AS genre_ids,
       ARRAY(SELECT franchise_id FROM media_franchises WHERE media_id = m.id ORDER BY franchise_id) AS franchise_ids,
       ARRAY(SELECT platform_id FROM media_platforms WHERE media_id = m.id ORDER BY platform_id) AS platform_ids,
       EXISTS (SELECT 1 FROM media_relations r WHERE r.related_media_id = m.id
                                                 AND r.relation IN ('dlc', 'expansion')) AS is_addon
FROM media_items m
WHERE m.id = ANY(:media_ids::bigint[]);

-- name: recs_related(seed_ids)
-- Stored links from the seeds: TMDB similar/recommended, IGDB similar games, a game's add-ons.
SELECT media_id AS seed_id, relation, related_media_id AS media_id, position
FROM media_relations
WHERE media_id = ANY(:seed_ids::bigint[])
ORDER BY media_id, relation, position, related_media_id;

-- name: recs_seeds_with_relations(seed_ids)
-- Seeds that already have similar/recommended links stored (no upstream fetch needed).
SELECT DISTINCT media_id FROM media_relations
WHERE media_id = ANY(:seed_ids::bigint[]) AND relation IN ('similar', 'recommended');

-- name: recs_franchise_members(franchise_ids, row_limit)
SELECT franchise_id, media_id FROM media_franchises
WHERE franchise_id = ANY(:franchise_ids::bigint[])
ORDER BY franchise_id, media_id
LIMIT :row_limit;

-- name: recs_genre_popular(genre_ids, excluded, per_genre)
-- The most popular titles of each genre the user likes, skipping known titles and add-ons.
SELECT g.genre_id, t.id AS media_id
FROM unnest(:genre_ids::bigint[]) AS g (genre_id)
CROSS JOIN LATERAL (
    SELECT m.id
    FROM media_genres mg JOIN media_items m ON m.id = mg.media_id
    WHERE mg.genre_id = g.genre_id AND NOT m.adult AND m.id <> ALL(:excluded::bigint[])
      AND NOT EXISTS (SELECT 1 FROM media_relations r WHERE r.related_media_id = m.id
                                                        AND r.relation IN ('dlc', 'expansion'))
    ORDER BY m.popularity DESC NULLS LAST, m.id
    LIMIT :per_genre
) t;

-- name: recs_popular(excluded, per_type)
-- The popularity prior: the most popular titles of each type (cold start, filler).
SELECT t.id AS media_id
FROM unnest(ARRAY['movie', 'show', 'game']) AS k (media_type)
CROSS JOIN LATERAL (
    SELECT m.id
    FROM media_items m
    WHERE m.media_type = k.media_type AND NOT m.adult AND m.id <> ALL(:excluded::bigint[])
      AND NOT EXISTS (SELECT 1 FROM media_relations r WHERE r.related_media_id = m.id
                                                        AND r.relation IN ('dlc', 'expansion'))
    ORDER BY m.popularity DESC NULLS LAST, m.id
    LIMIT :per_type
) t;

-- name: recs_genre_names(genre_ids)
SELECT id, name, slug FROM genres WHERE id = ANY(:genre_ids::bigint[]);

-- name: recs_platform_names(platform_ids)
SELECT id, name FROM platforms WHERE id = ANY(:platform_ids::bigint[]);

-- name: recs_save_relations(items)!
-- Similar/recommended links fetched from TMDB for a seed without stored ones.
INSERT INTO media_relations (media_id, relation, related_media_id, source, position)
SELECT i.media_id, i.relation, i.related_media_id, 'tmdb', i.position
FROM jsonb_to_recordset(:items::jsonb) AS i(media_id bigint, relation text, related_media_id bigint, position int)
WHERE i.media_id <> i.related_media_id
ON CONFLICT (media_id, relation, related_media_id) DO UPDATE SET position = excluded.position, updated_at = now();

-- -------------------------------------------------------------- snapshots

-- name: recs_insert_snapshot(user_id, algorithm_version, trigger, items, item_count, is_cold_start, duration_ms, stats)^
INSERT INTO recommendation_snapshots (user_id, algorithm_version, trigger, items, item_count, is_cold_start,
                                      duration_ms, stats)
VALUES (:user_id, :algorithm_version, :trigger, :items::jsonb, :item_count, :is_cold_start, :duration_ms,
        :stats::jsonb)
RETURNING id, computed_at;

-- name: recs_prune_snapshots(user_id, keep)!
-- Snapshots are immutable; only the newest few are kept (the newest one is read).
DELETE FROM recommendation_snapshots
WHERE user_id = :user_id
  AND id NOT IN (SELECT id FROM recommendation_snapshots WHERE user_id = :user_id
                 ORDER BY computed_at DESC, id LIMIT :keep);

-- name: recs_snapshot_items(user_id)
-- The newest snapshot with its items as list cards, in snapshot order, minus
-- every title the user watched, rated, favorited, saved, played, started or
-- dismissed since (the snapshot row alone, with a NULL item, when nothing is left).
WITH s AS (
    SELECT id, computed_at, is_cold_start, items FROM recommendation_snapshots
    WHERE user_id = :user_id ORDER BY computed_at DESC LIMIT 1
), known AS (
    SELECT media_id FROM user_ratings WHERE user_id = :user_id
    UNION SELECT media_id FROM user_favorites WHERE user_id = :user_id
    UNION SELECT media_id FROM user_watched WHERE user_id = :user_id
    UNION SELECT media_id FROM user_progress WHERE user_id = :user_id
    UNION SELECT media_id FROM user_game_status WHERE user_id = :user_id
    UNION SELECT media_id FROM user_watch_later WHERE user_id = :user_id
    UNION SELECT media_id FROM user_dismissals WHERE user_id = :user_id
)
SELECT s.id AS snapshot_id, s.computed_at, s.is_cold_start, c.*
FROM s
LEFT JOIN LATERAL (
    SELECT it.ord, it.item, m.id, m.media_type, m.title, m.original_title, m.year, m.release_date, m.poster_path,
           m.backdrop_path, m.vote_average, m.vote_count, m.popularity, m.status, m.is_demo,
           ARRAY(SELECT gn.name FROM media_genres mg JOIN genres gn ON gn.id = mg.genre_id
                 WHERE mg.media_id = m.id ORDER BY gn.kind, gn.name) AS genres
    FROM jsonb_array_elements(s.items) WITH ORDINALITY AS it (item, ord)
    JOIN media_items m ON m.id = (it.item ->> 'mediaId')::bigint
    WHERE NOT EXISTS (SELECT 1 FROM known k WHERE k.media_id = m.id)
) c ON true
ORDER BY c.ord;

-- ------------------------------------------------------- dismissals, genres

-- name: recs_dismiss(user_id, media_id, reason)^
INSERT INTO user_dismissals (user_id, media_id, reason)
SELECT :user_id, id, :reason FROM media_items WHERE id = :media_id
ON CONFLICT (user_id, media_id) DO UPDATE SET reason = excluded.reason, updated_at = now()
RETURNING media_id, reason, updated_at AS dismissed_at;

-- name: recs_genres_by_slugs(slugs)
-- Every genre row with one of these slugs (the same slug can exist for TMDB and IGDB).
SELECT id, slug, name, source, media_types FROM genres WHERE slug = ANY(:slugs::text[]) ORDER BY slug, id;

-- name: recs_replace_favorite_genres(user_id, genre_ids)!
WITH cleared AS (
    DELETE FROM user_favorite_genres
    WHERE user_id = :user_id AND genre_id <> ALL(:genre_ids::bigint[])
)
INSERT INTO user_favorite_genres (user_id, genre_id)
SELECT :user_id, g FROM unnest(:genre_ids::bigint[]) AS g
ON CONFLICT (user_id, genre_id) DO NOTHING;

-- name: recs_touch_preferences(user_id)!
-- Onboarding happened (or the picks changed).
INSERT INTO user_preferences (user_id, onboarded_at) VALUES (:user_id, now())
ON CONFLICT (user_id) DO UPDATE SET onboarded_at = coalesce(user_preferences.onboarded_at, now()),
                                    updated_at = now();

-- name: recs_favorite_genres(user_id)
SELECT g.slug, min(g.name) AS name, array_agg(DISTINCT t.media_type ORDER BY t.media_type) AS media_types
FROM user_favorite_genres f
JOIN genres g ON g.id = f.genre_id
CROSS JOIN LATERAL unnest(g.media_types) AS t (media_type)
WHERE f.user_id = :user_id
GROUP BY g.slug
ORDER BY g.slug;

-- name: recs_onboarded_at(user_id)$
SELECT onboarded_at FROM user_preferences WHERE user_id = :user_id;

-- ----------------------------------------------------------- job bookkeeping

-- name: scheduled_job_started(job_name, trigger)$
-- Shared by the recommendations and calendar jobs: sync_state + a sync_runs row.
WITH state AS (
    INSERT INTO sync_state (job_name, last_started_at, last_status, last_error, updated_at)
    VALUES (:job_name, now(), 'running', NULL, now())
    ON CONFLICT (job_name) DO UPDATE SET last_started_at = now(), last_status = 'running', updated_at = now()
    RETURNING job_name
)
INSERT INTO sync_runs (job_name, trigger, status)
SELECT job_name, :trigger, 'running' FROM state
RETURNING id;

-- name: scheduled_job_finished(run_id, job_name, status, error, duration_ms, stats)!
WITH run AS (
    UPDATE sync_runs SET status = :status, finished_at = now(), duration_ms = :duration_ms, error = :error,
                         stats = :stats::jsonb
    WHERE id = :run_id
)
UPDATE sync_state SET
    last_finished_at = now(), last_status = :status, last_error = :error, duration_ms = :duration_ms,
    stats = :stats::jsonb,
    last_success_at = CASE WHEN :status = 'ok' THEN now() ELSE last_success_at END,
    consecutive_failures = CASE WHEN :status = 'failed' THEN consecutive_failures + 1
                                WHEN :status = 'ok' THEN 0 ELSE consecutive_failures END,
    updated_at = now()
WHERE job_name = :job_name;

-- name: recs_has_history(user_id)$
-- Whether anything the user did can shape recommendations (false: a cold start).
SELECT EXISTS (SELECT 1 FROM user_ratings WHERE user_id = :user_id)
    OR EXISTS (SELECT 1 FROM user_favorites WHERE user_id = :user_id)
    OR EXISTS (SELECT 1 FROM user_watched WHERE user_id = :user_id)
    OR EXISTS (SELECT 1 FROM user_progress WHERE user_id = :user_id)
    OR EXISTS (SELECT 1 FROM user_game_status WHERE user_id = :user_id)
    OR EXISTS (SELECT 1 FROM user_watch_later WHERE user_id = :user_id)
    OR EXISTS (SELECT 1 FROM user_dismissals WHERE user_id = :user_id);
