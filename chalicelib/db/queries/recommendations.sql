-- Recommendations: the user's taste signals, candidate titles, snapshots,
-- dismissals and onboarding genres. Every per-user query filters on :user_id.
-- Candidate queries take the ids the user already knows (:excluded) so a
-- "top N" list is N titles the user has not seen, not N minus their history.

-- ---------------------------------------------------------------- signals

-- name: recs_user_inputs(user_id)^
-- Everything about the user that scoring needs, in one round trip and one row:
-- the taste fingerprint (the same string recs_taste_states computes, so the job
-- sees this snapshot as current), one JSON array per touched title (its
-- features, then every kind of signal side by side, and the latest moment of
-- any of them), and the onboarding genre picks. JSON because one document is
-- parsed in C, where 2,000 rows of dicts cost more than the query.
WITH touched AS MATERIALIZED (
    SELECT 'r' AS src, media_id, rating, 0 AS watches, NULL::text AS game_status, NULL::bigint AS game_platform_id,
           updated_at AS at, updated_at AS changed_at
    FROM user_ratings WHERE user_id = :user_id
    UNION ALL SELECT 'f', media_id, NULL, 0, NULL, NULL, updated_at, updated_at
              FROM user_favorites WHERE user_id = :user_id
    UNION ALL SELECT 'w', media_id, NULL, 1, NULL, NULL, watched_at, updated_at
              FROM user_watched WHERE user_id = :user_id
    UNION ALL SELECT 'p', media_id, NULL, 0, NULL, NULL, updated_at, NULL
              FROM user_progress WHERE user_id = :user_id
    UNION ALL SELECT 'g', media_id, NULL, 0, status, platform_id, updated_at, updated_at
              FROM user_game_status WHERE user_id = :user_id
    UNION ALL SELECT 'l', media_id, NULL, 0, NULL, NULL, created_at, updated_at
              FROM user_watch_later WHERE user_id = :user_id
    UNION ALL SELECT 'd', media_id, NULL, 0, NULL, NULL, updated_at, updated_at
              FROM user_dismissals WHERE user_id = :user_id
), fingerprint AS (
    -- recs_taste_states' concat_ws: per table its row count and latest change (progress left out).
    SELECT string_agg(concat_ws('|', coalesce(t.n, 0), t.at), '|' ORDER BY s.ord) AS parts
    FROM unnest(ARRAY['r', 'f', 'w', 'g', 'l', 'd']) WITH ORDINALITY AS s (src, ord)
    LEFT JOIN (SELECT src, count(*) AS n, max(changed_at) AS at FROM touched GROUP BY src) t USING (src)
), signals AS (
    SELECT media_id, max(rating) AS rating, bool_or(src = 'f') AS favorite, sum(watches) AS watches,
           bool_or(src = 'p') AS started, max(game_status) AS game_status, max(game_platform_id) AS game_platform_id,
           bool_or(src = 'l') AS watch_later, bool_or(src = 'd') AS dismissed, max(at) AS at
    FROM touched GROUP BY media_id
)
SELECT md5(concat_ws('|', (SELECT parts FROM fingerprint), fg.n, fg.at)) AS taste,
       (SELECT coalesce(json_agg(json_build_array(
            m.id, m.media_type, m.title,
            ARRAY(SELECT genre_id FROM media_genres WHERE media_id = m.id ORDER BY genre_id),
            ARRAY(SELECT franchise_id FROM media_franchises WHERE media_id = m.id ORDER BY franchise_id),
            CASE WHEN m.media_type = 'game'  -- only games have platforms
                 THEN ARRAY(SELECT platform_id FROM media_platforms WHERE media_id = m.id ORDER BY platform_id)
                 ELSE '{}' END,
            m.popularity, m.vote_average, m.vote_count,
            false,  -- is_addon matters for candidates only
            m.adult, s.rating, s.favorite, s.watches, s.started, s.game_status, s.game_platform_id,
            s.watch_later, s.dismissed, s.at) ORDER BY s.media_id), '[]')
        FROM signals s JOIN media_items m ON m.id = s.media_id) AS signals,
       fg.picked
FROM (SELECT count(*) AS n, max(created_at) AS at, coalesce(json_agg(genre_id ORDER BY genre_id), '[]') AS picked
      FROM user_favorite_genres WHERE user_id = :user_id) fg;

-- name: recs_taste_states(user_ids, all_users)
-- Per user: a fingerprint of everything that shapes recommendations (row count
-- and latest change per table, so a deletion changes it too), when taste last
-- changed, and the newest snapshot with the fingerprint it was computed from.
-- A snapshot is stale when the fingerprints differ (recs_user_inputs builds the
-- same string: change both together). Playback progress and
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

-- name: recs_candidate_inputs(user_id, seed_ids, franchise_ids, genre_ids, per_genre, per_type, franchise_limit, walk, extra_ids)^
-- Every candidate with what scoring needs about it, in one round trip: titles
-- linked from the seeds (TMDB similar/recommended, IGDB similar, add-ons), the
-- members of the seeds' franchises, the most popular titles of the user's
-- strongest genres and of each type, and :extra_ids (the seeds' "More like this" titles, for seeds without
-- stored links; see candidates.content_links). Titles the user knows (:user_id's
-- history, the same set recs_snapshot_items leaves out), adult titles and
-- (outside links) add-ons are never candidates.
-- Per genre: one walk down the popularity index (:walk titles, one probe each)
-- serves every genre that finds :per_genre titles in it; only a rarer genre
-- walks on by itself. The result is the same as a walk per genre, at a
-- fraction of the index probes.
WITH known AS MATERIALIZED (
    SELECT media_id FROM user_ratings WHERE user_id = :user_id
    UNION SELECT media_id FROM user_favorites WHERE user_id = :user_id
    UNION SELECT media_id FROM user_watched WHERE user_id = :user_id
    UNION SELECT media_id FROM user_progress WHERE user_id = :user_id
    UNION SELECT media_id FROM user_game_status WHERE user_id = :user_id
    UNION SELECT media_id FROM user_watch_later WHERE user_id = :user_id
    UNION SELECT media_id FROM user_dismissals WHERE user_id = :user_id
), addons AS MATERIALIZED (
    SELECT DISTINCT related_media_id AS media_id FROM media_relations WHERE relation IN ('dlc', 'expansion')
), links AS MATERIALIZED (
    SELECT s.seed_id, r.relation, r.related_media_id AS media_id, r.position
    FROM unnest(:seed_ids::bigint[]) AS s (seed_id)
    CROSS JOIN LATERAL (SELECT relation, related_media_id, position FROM media_relations
                        WHERE media_id = s.seed_id OFFSET 0) r  -- one index descent per seed, never a table
    -- scan (OFFSET 0 keeps the planner from flattening this into a hash join over the whole table)
), members AS MATERIALIZED (
    SELECT media_id FROM media_franchises WHERE franchise_id = ANY(:franchise_ids::bigint[])
    ORDER BY franchise_id, media_id LIMIT :franchise_limit
), walk AS MATERIALIZED (
    SELECT m.id, m.popularity FROM media_items m
    WHERE cardinality(:genre_ids::bigint[]) > 0 AND NOT m.adult
      AND m.id NOT IN (SELECT media_id FROM known) AND m.id NOT IN (SELECT media_id FROM addons)
    ORDER BY m.popularity DESC NULLS LAST, m.id LIMIT :walk
), walked AS MATERIALIZED (
    SELECT mg.genre_id, w.id AS media_id,
           row_number() OVER (PARTITION BY mg.genre_id ORDER BY w.popularity DESC NULLS LAST, w.id) AS n
    FROM walk w JOIN media_genres mg ON mg.media_id = w.id
    WHERE ARRAY[mg.genre_id] <@ :genre_ids::bigint[]  -- a filter: "= ANY" would descend the index once per genre
), by_genre AS (
    SELECT media_id FROM walked WHERE n <= :per_genre
    UNION ALL
    SELECT t.id
    FROM unnest(:genre_ids::bigint[]) AS g (genre_id)
    CROSS JOIN LATERAL (
        SELECT m.id FROM media_genres mg JOIN media_items m ON m.id = mg.media_id
        WHERE mg.genre_id = g.genre_id AND NOT m.adult
          AND m.id NOT IN (SELECT media_id FROM known) AND m.id NOT IN (SELECT media_id FROM addons)
        ORDER BY m.popularity DESC NULLS LAST, m.id
        LIMIT :per_genre
    ) t
    WHERE (SELECT count(*) FROM walked w WHERE w.genre_id = g.genre_id) < :per_genre
), popular AS (
    SELECT t.id AS media_id
    FROM unnest(ARRAY['movie', 'show', 'game']) AS k (media_type)
    CROSS JOIN LATERAL (
        SELECT m.id FROM media_items m
        WHERE m.media_type = k.media_type AND NOT m.adult
          AND m.id NOT IN (SELECT media_id FROM known) AND m.id NOT IN (SELECT media_id FROM addons)
        ORDER BY m.popularity DESC NULLS LAST, m.id
        LIMIT :per_type
    ) t
), wanted AS (
    SELECT media_id FROM links UNION SELECT media_id FROM members UNION SELECT media_id FROM by_genre
    UNION SELECT media_id FROM popular UNION SELECT unnest(:extra_ids::bigint[])
    EXCEPT SELECT media_id FROM known
), titles AS MATERIALIZED (
    SELECT m.id, m.media_type, m.title, m.popularity, m.vote_average, m.vote_count,
           ARRAY(SELECT genre_id FROM media_genres WHERE media_id = m.id ORDER BY genre_id) AS genre_ids,
           ARRAY(SELECT franchise_id FROM media_franchises WHERE media_id = m.id ORDER BY franchise_id) AS franchise_ids,
           CASE WHEN m.media_type = 'game'
                THEN ARRAY(SELECT platform_id FROM media_platforms WHERE media_id = m.id ORDER BY platform_id)
                ELSE '{}' END AS platform_ids,
           m.id IN (SELECT media_id FROM addons) AS is_addon
    FROM media_items m
    WHERE m.id = ANY(ARRAY(SELECT media_id FROM wanted)) AND NOT m.adult AND m.media_type <> 'video'
)
SELECT
    (SELECT coalesce(json_agg(json_build_array(id, media_type, title, genre_ids, franchise_ids, platform_ids,
                                               popularity, vote_average, vote_count, is_addon)), '[]')
     FROM titles) AS titles,
    (SELECT coalesce(json_agg(json_build_array(l.seed_id, l.media_id, l.relation, l.position)
                              ORDER BY l.seed_id, l.relation, l.position, l.media_id), '[]')
     FROM links l WHERE l.media_id IN (SELECT id FROM titles)) AS links,
    (SELECT coalesce(json_object_agg(g.id, g.name), '{}') FROM genres g
     WHERE g.id IN (SELECT unnest(genre_ids) FROM titles)) AS genre_names,
    (SELECT coalesce(json_object_agg(p.id, p.name), '{}') FROM platforms p
     WHERE p.id IN (SELECT unnest(platform_ids) FROM titles)) AS platform_names;

-- name: recs_tmdb_ids(media_ids)
SELECT id, tmdb_id FROM media_items WHERE id = ANY(:media_ids::bigint[]) AND tmdb_id IS NOT NULL;

-- name: recs_seeds_with_relations(seed_ids)
-- Seeds that already have similar/recommended links stored (no upstream fetch needed).
SELECT DISTINCT media_id FROM media_relations
WHERE media_id = ANY(:seed_ids::bigint[]) AND relation IN ('similar', 'recommended');

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

-- name: recs_lock_user(user_id)$
-- One read-time computation per user at a time (held to the end of the caller's transaction): a second
-- reader waits for the first and then finds the snapshot fresh.
SELECT pg_advisory_xact_lock(hashtextextended('seen:recs:' || :user_id::text, 0))::text;

-- name: recs_prune_snapshots(user_id, keep)!
-- Snapshots are immutable; only the newest few are kept (the newest one is read).
DELETE FROM recommendation_snapshots
WHERE user_id = :user_id
  AND id NOT IN (SELECT id FROM recommendation_snapshots WHERE user_id = :user_id
                 ORDER BY computed_at DESC, id LIMIT :keep);

-- name: recs_snapshot_items(user_id, max_age, collections)
-- The newest snapshot with its items as list cards, in snapshot order, minus
-- every title the user watched, rated, favorited, saved, played, started or
-- dismissed since (the snapshot row alone, with a NULL item, when nothing is left). A kid profile's
-- limit (:max_age, :collections) is applied here, when the list is read.
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
      -- a kid profile: rated at most its max age, inside its allowed collections when it has any
      AND (:max_age::int IS NULL OR (m.min_age <= :max_age AND (cardinality(:collections::uuid[]) = 0
           OR EXISTS (SELECT 1 FROM collection_items ci
                      WHERE ci.media_id = m.id AND ci.collection_id = ANY(:collections::uuid[])))))
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

-- name: recs_has_history(user_id)$
-- Whether anything the user did can shape recommendations (false: a cold start).
SELECT EXISTS (SELECT 1 FROM user_ratings WHERE user_id = :user_id)
    OR EXISTS (SELECT 1 FROM user_favorites WHERE user_id = :user_id)
    OR EXISTS (SELECT 1 FROM user_watched WHERE user_id = :user_id)
    OR EXISTS (SELECT 1 FROM user_progress WHERE user_id = :user_id)
    OR EXISTS (SELECT 1 FROM user_game_status WHERE user_id = :user_id)
    OR EXISTS (SELECT 1 FROM user_watch_later WHERE user_id = :user_id)
    OR EXISTS (SELECT 1 FROM user_dismissals WHERE user_id = :user_id);
