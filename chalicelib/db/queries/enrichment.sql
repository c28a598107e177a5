-- Enrichment at a glance (admin -> Catalog data): how far each source got, its pause, its retry, and the
-- media server items no sync could link to the catalog (matched by hand here).
--
-- Per source, every item is in one state: matched, not_found (asked, nothing usable), pending (not asked
-- yet, or asked again after a retry) or failed (asked, the source failed). One scan of media_items counts
-- the three title sources; OMDb's matched and total come from the ratings coverage (ratings.sql).

-- name: enrichment_overview()
WITH t AS (
    SELECT
        count(*) FILTER (WHERE up IS NOT NULL AND details_fetched_at IS NOT NULL) AS tmdb_matched,
        count(*) FILTER (WHERE up IS NULL AND (media_type = 'game' OR backfill_attempted_at IS NOT NULL))
            AS tmdb_not_found,
        -- An id whose details were not fetched yet (list syncs store only what a list shows; a title's first
        -- view fetches the rest), or an IMDb title TMDB's /find was not asked about yet.
        count(*) FILTER (WHERE (up IS NOT NULL AND details_fetched_at IS NULL AND NOT detail_failed)
                            OR (up IS NULL AND media_type <> 'game' AND backfill_attempted_at IS NULL)) AS tmdb_pending,
        count(*) FILTER (WHERE up IS NOT NULL AND detail_failed) AS tmdb_failed,
        count(*) FILTER (WHERE media_type = 'show' AND tvdb_time) AS tvdb_matched,
        count(*) FILTER (WHERE media_type = 'show' AND NOT tvdb_time AND details_fetched_at IS NOT NULL)
            AS tvdb_not_found,
        count(*) FILTER (WHERE media_type = 'show' AND NOT tvdb_time AND details_fetched_at IS NULL) AS tvdb_pending,
        count(*) FILTER (WHERE imdb_id IS NOT NULL AND media_type <> 'game' AND ratings_fetched_at IS NULL
                           AND ratings_attempted_at IS NOT NULL
                           AND NOT EXISTS (SELECT 1 FROM media_external_ratings r WHERE r.media_id = m.id))
            AS omdb_not_found
    FROM (
        SELECT m.*, CASE WHEN m.media_type = 'game' THEN m.igdb_id ELSE m.tmdb_id END AS up,
               (m.details_fetched_at IS NULL AND m.details_attempted_at IS NOT NULL) AS detail_failed,
               coalesce(m.extra ->> 'airTimeSource' = 'tvdb', false) AS tvdb_time
        FROM media_items m WHERE m.media_type <> 'video'
    ) m
), ms AS (
    SELECT count(*) FILTER (WHERE linked) AS matched,
           count(*) FILTER (WHERE NOT linked AND fingerprint <> '') AS not_found,
           count(*) FILTER (WHERE NOT linked AND fingerprint = '') AS pending
    FROM (SELECT CASE WHEN kind = 'episode' THEN episode_id IS NOT NULL ELSE media_id IS NOT NULL END AS linked,
                 fingerprint
          FROM media_server_items WHERE kind IN ('movie', 'show', 'episode')) i
), last_syncs AS (
    SELECT DISTINCT ON (server_id) server_id, finished_at, failed, error
    FROM media_server_syncs WHERE finished_at IS NOT NULL
    ORDER BY server_id, finished_at DESC
), ch AS (
    SELECT count(*) AS total,
           count(*) FILTER (WHERE checked_at IS NOT NULL AND last_error IS NULL) AS matched,
           count(*) FILTER (WHERE last_error = 'channel_not_found') AS not_found,
           count(*) FILTER (WHERE checked_at IS NULL AND last_error IS NULL) AS pending,
           count(*) FILTER (WHERE last_error IS NOT NULL AND last_error <> 'channel_not_found') AS failed
    FROM channels
), catalog_jobs AS (
    SELECT last_finished_at, last_error FROM sync_state
    WHERE job_name IN ('catalog.tmdb_genres', 'catalog.tmdb_movies', 'catalog.tmdb_shows', 'catalog.igdb_games')
), paused AS (
    SELECT source FROM enrichment_pauses
)
SELECT 'tmdb' AS source, true AS configured, tmdb_matched AS matched, tmdb_not_found AS not_found,
       tmdb_pending AS pending, tmdb_failed AS failed,
       (SELECT max(last_finished_at) FROM catalog_jobs) AS last_run_at,
       (SELECT last_error FROM catalog_jobs WHERE last_error IS NOT NULL
        ORDER BY last_finished_at DESC NULLS LAST LIMIT 1) AS last_error,
       'tmdb' IN (SELECT source FROM paused) AS paused
FROM t
UNION ALL
SELECT 'tvdb', true, tvdb_matched, tvdb_not_found, tvdb_pending, 0, NULL, NULL, 'tvdb' IN (SELECT source FROM paused)
FROM t
UNION ALL
SELECT 'omdb', true, 0, omdb_not_found, 0, 0, NULL, NULL, 'omdb' IN (SELECT source FROM paused)
FROM t
UNION ALL
SELECT 'media_servers', EXISTS (SELECT 1 FROM media_servers), matched, not_found, pending,
       coalesce((SELECT sum(failed) FROM last_syncs), 0)::bigint,
       (SELECT max(finished_at) FROM last_syncs),
       (SELECT error FROM last_syncs WHERE error IS NOT NULL ORDER BY finished_at DESC LIMIT 1),
       'media_servers' IN (SELECT source FROM paused)
FROM ms
UNION ALL
SELECT 'channels', total > 0, matched, not_found, pending, failed,
       (SELECT last_finished_at FROM sync_state WHERE job_name = 'channels.refresh'),
       (SELECT last_error FROM sync_state WHERE job_name = 'channels.refresh'),
       'channels' IN (SELECT source FROM paused)
FROM ch;

-- name: enrichment_pause(source, user_id)!
INSERT INTO enrichment_pauses (source, paused_by) VALUES (:source, :user_id)
ON CONFLICT (source) DO NOTHING;

-- name: enrichment_resume(source)!
DELETE FROM enrichment_pauses WHERE source = :source;

-- ---------------------------------------------------------------------------------------------- retry

-- name: enrichment_retry_tmdb()$
-- Failed detail fetches and unanswered TMDB /find look-ups are tried again on the title's next view.
WITH reset AS (
    UPDATE media_items SET details_attempted_at = NULL,
        backfill_attempted_at = CASE WHEN tmdb_id IS NULL THEN NULL ELSE backfill_attempted_at END
    WHERE media_type <> 'video'
      AND ((details_fetched_at IS NULL AND details_attempted_at IS NOT NULL)
           OR (tmdb_id IS NULL AND media_type <> 'game' AND backfill_attempted_at IS NOT NULL))
    RETURNING 1
)
SELECT count(*) FROM reset;

-- name: enrichment_retry_tvdb()$
-- Shows built without a TVDB air time rebuild from TMDB (which asks TVDB again) on their next view.
WITH reset AS (
    UPDATE media_items SET details_fetched_at = NULL, details_attempted_at = NULL
    WHERE media_type = 'show' AND tmdb_id IS NOT NULL AND details_fetched_at IS NOT NULL
      AND coalesce(extra ->> 'airTimeSource', '') <> 'tvdb'
    RETURNING 1
)
SELECT count(*) FROM reset;

-- name: enrichment_retry_omdb(midnight)$
-- Titles OMDb had nothing for become due again. A try made today keeps its stamp: the pass counts today's
-- requests by those stamps, and clearing them would let it spend more than the day's budget.
WITH reset AS (
    UPDATE media_items m SET ratings_attempted_at = NULL
    WHERE m.imdb_id IS NOT NULL AND m.media_type <> 'game' AND m.ratings_fetched_at IS NULL
      AND m.ratings_attempted_at < :midnight
      AND NOT EXISTS (SELECT 1 FROM media_external_ratings r WHERE r.media_id = m.id)
    RETURNING 1
)
SELECT count(*) FROM reset;

-- name: enrichment_retry_media_servers()$
-- Unmatched items lose their fingerprint: the next sync matches and writes them again (pending until then).
WITH reset AS (
    UPDATE media_server_items SET fingerprint = ''
    WHERE fingerprint <> '' AND NOT manual_match
      AND ((kind IN ('movie', 'show') AND media_id IS NULL) OR (kind = 'episode' AND episode_id IS NULL))
    RETURNING 1
)
SELECT count(*) FROM reset;

-- name: enrichment_retry_channels()$
-- Channels whose feed failed are read on the next refresh, their back-off forgotten.
WITH reset AS (
    UPDATE channels SET next_check_at = now(), failures = 0, updated_at = now()
    WHERE last_error IS NOT NULL
    RETURNING 1
)
SELECT count(*) FROM reset;

-- name: enrichment_enabled_servers()
SELECT id FROM media_servers WHERE enabled ORDER BY id;

-- ------------------------------------------------------------------------------------------ unmatched

-- name: enrichment_unmatched_media_servers(q, after_title, after_server, after_item, row_limit)
-- Movies and shows of the media servers without a catalog title, by title (keyset: title, server, item).
SELECT i.server_id, i.item_id, i.kind, i.title, i.year, s.name AS server_name, lower(i.title) AS sort_key
FROM media_server_items i JOIN media_servers s ON s.id = i.server_id
WHERE i.media_id IS NULL AND i.kind IN ('movie', 'show')
  AND (:q::text IS NULL OR i.title ILIKE :q)
  AND (:after_title::text IS NULL
       OR (lower(i.title), i.server_id, i.item_id) > (:after_title, :after_server::uuid, :after_item))
ORDER BY lower(i.title), i.server_id, i.item_id
LIMIT :row_limit;

-- name: enrichment_unmatched_titles(q, after_title, after_id, row_limit)
-- Catalog movies and shows without a TMDB id (IMDb datasets titles TMDB's /find did not place), by title.
SELECT m.id, m.media_type AS kind, m.title, m.year, lower(m.title) AS sort_key
FROM media_items m
WHERE m.tmdb_id IS NULL AND m.media_type IN ('movie', 'show')
  AND (:q::text IS NULL OR m.title ILIKE :q)
  AND (:after_title::text IS NULL OR (lower(m.title), m.id) > (:after_title, :after_id::bigint))
ORDER BY lower(m.title), m.id
LIMIT :row_limit;

-- ----------------------------------------------------------------------------------------- manual match

-- name: enrichment_title(media_id)^
SELECT id, media_type FROM media_items WHERE id = :media_id;

-- name: enrichment_match_item(server_id, item_id, media_id)^
-- The admin's match of a movie or show; ``manual_match`` makes every later sync keep it.
UPDATE media_server_items i SET media_id = :media_id, episode_id = NULL, manual_match = true, updated_at = now()
FROM media_servers s
WHERE i.server_id = :server_id AND i.item_id = :item_id AND s.id = i.server_id
RETURNING i.server_id, i.item_id, i.kind, i.title, i.year, s.name AS server_name, i.media_id;

-- name: enrichment_match_children(server_id, item_id, media_id)$
-- The show's seasons and episodes follow it: an episode links to the show's episode of the same season and
-- number (none when the catalog's show lacks it). Answers how many episodes were linked.
WITH linked AS (
    UPDATE media_server_items c SET media_id = :media_id, manual_match = true, updated_at = now(),
        episode_id = CASE WHEN c.kind = 'episode' THEN (
            SELECT e.id FROM episodes e
            WHERE e.media_id = :media_id AND e.season_number = c.season_number
              AND e.episode_number = c.episode_number) END
    WHERE c.server_id = :server_id AND c.parent_item_id = :item_id AND c.kind IN ('season', 'episode')
    RETURNING c.episode_id
)
SELECT count(*) FILTER (WHERE episode_id IS NOT NULL) FROM linked;

-- name: ms_manual_links(server_id)
-- Read by the media server sync (mediaservers/queries.manual_links): the admin's matches replace its own.
SELECT item_id, media_id, episode_id FROM media_server_items
WHERE server_id = :server_id AND manual_match AND media_id IS NOT NULL;
