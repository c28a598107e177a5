-- Ratings from elsewhere (OMDb): the titles the pass fetches next, the ratings it stores, coverage.
-- "Wanted" titles are in the library or on someone's watch later, history, favorites or progress.

-- name: ratings_due(refresh_days, cooldown_hours, row_limit)
-- Movies and shows with an IMDb id whose ratings are missing or older than the refresh age and that
-- did not fail within the cooldown: wanted titles first, then by popularity.
WITH wanted AS (
    SELECT media_id FROM library_items WHERE media_id IS NOT NULL
    UNION SELECT media_id FROM user_watch_later
    UNION SELECT media_id FROM user_watched
    UNION SELECT media_id FROM user_favorites
    UNION SELECT media_id FROM user_progress
), due AS (
    SELECT m.id, m.imdb_id, m.popularity FROM media_items m
    WHERE m.imdb_id IS NOT NULL AND m.media_type <> 'game'
      AND (m.ratings_fetched_at IS NULL OR m.ratings_fetched_at < now() - make_interval(days => :refresh_days))
      AND (m.ratings_attempted_at IS NULL
           OR m.ratings_attempted_at < now() - make_interval(hours => :cooldown_hours))
)
(SELECT d.id, d.imdb_id, true AS wanted FROM due d JOIN wanted w ON w.media_id = d.id
 ORDER BY d.popularity DESC NULLS LAST, d.id LIMIT :row_limit)
UNION ALL
(SELECT d.id, d.imdb_id, false FROM due d WHERE d.id NOT IN (SELECT media_id FROM wanted)
 ORDER BY d.popularity DESC NULLS LAST, d.id LIMIT :row_limit)
ORDER BY wanted DESC
LIMIT :row_limit;

-- name: ratings_attempts_since(since)$
-- Requests spent since ``since`` (the start of the UTC day): every attempt stamps its title once.
SELECT count(*) FROM media_items WHERE ratings_attempted_at >= :since;

-- name: ratings_store(media_id, items)!
-- The title's ratings from OMDb: upserted per source (sources OMDb no longer lists are kept:
-- an IMDb rating may come from the datasets import too); the title is stamped fetched.
WITH upserted AS (
    INSERT INTO media_external_ratings (media_id, source, value, score, votes, updated_at)
    SELECT :media_id, i.source, i.value, i.score, i.votes, now()
    FROM jsonb_to_recordset(:items::jsonb) AS i(source text, value text, score numeric, votes int)
    ON CONFLICT (media_id, source) DO UPDATE SET
        value = excluded.value, score = excluded.score, votes = coalesce(excluded.votes, media_external_ratings.votes),
        updated_at = now()
)
UPDATE media_items SET ratings_fetched_at = now(), ratings_attempted_at = now() WHERE id = :media_id;

-- name: ratings_attempted(media_id)!
UPDATE media_items SET ratings_attempted_at = now() WHERE id = :media_id;

-- name: ratings_coverage()^
WITH wanted AS (
    SELECT media_id FROM library_items WHERE media_id IS NOT NULL
    UNION SELECT media_id FROM user_watch_later
    UNION SELECT media_id FROM user_watched
    UNION SELECT media_id FROM user_favorites
    UNION SELECT media_id FROM user_progress
), rateable AS (
    SELECT m.id, EXISTS (SELECT 1 FROM media_external_ratings r WHERE r.media_id = m.id) AS covered,
           m.id IN (SELECT media_id FROM wanted) AS wanted
    FROM media_items m WHERE m.imdb_id IS NOT NULL AND m.media_type <> 'game'
)
SELECT count(*) FILTER (WHERE covered) AS covered, count(*) AS total,
       count(*) FILTER (WHERE covered AND wanted) AS library_covered, count(*) FILTER (WHERE wanted) AS library_total,
       (SELECT last_finished_at FROM sync_state WHERE job_name = 'ratings.omdb') AS last_run_at,
       (SELECT last_error FROM sync_state WHERE job_name = 'ratings.omdb') AS last_error
FROM rateable;

-- name: ratings_last_stats()$
SELECT stats FROM sync_state WHERE job_name = 'ratings.omdb';
