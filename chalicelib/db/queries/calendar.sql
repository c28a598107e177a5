-- Release calendar: what the fill job refreshes, the release_events it writes,
-- the per-user calendar read, and the secret iCal feed token.

-- ------------------------------------------------------------ fill targets

-- name: calendar_fill_targets(show_ids, today, row_limit)
-- Titles whose release dates the fill refreshes: every title on someone's
-- watch later, the followed shows, games in someone's backlog, announced or
-- recent catalog titles, and the add-ons of all those games.
WITH wanted AS (
    SELECT media_id FROM user_watch_later
    UNION SELECT unnest(:show_ids::bigint[])
    UNION SELECT media_id FROM user_game_status WHERE status IN ('wishlist', 'active', 'paused', 'completed')
    -- new and coming titles of the people users follow
    UNION SELECT c.media_id FROM user_person_follows f JOIN media_credits c ON c.person_id = f.person_id
          JOIN media_items pm ON pm.id = c.media_id
          WHERE pm.media_type <> 'game' AND (pm.release_date IS NULL OR pm.release_date >= :today::date - 30)
    UNION (SELECT id FROM media_items
           WHERE media_type IN ('movie', 'game')
             AND (release_date BETWEEN :today::date - 30 AND :today::date + 1100
                  OR (release_date IS NULL AND status IN ('planned', 'in_production', 'post_production')))
           ORDER BY popularity DESC NULLS LAST, id
           LIMIT :row_limit)
), with_addons AS (
    SELECT media_id FROM wanted
    UNION SELECT r.related_media_id FROM media_relations r JOIN wanted w ON w.media_id = r.media_id
    WHERE r.relation IN ('dlc', 'expansion', 'standalone_expansion')
)
SELECT m.id, m.media_type, m.tmdb_id, m.igdb_id, m.title,
       EXISTS (SELECT 1 FROM media_relations r WHERE r.related_media_id = m.id
                                                 AND r.relation IN ('dlc', 'expansion')) AS is_addon
FROM with_addons a JOIN media_items m ON m.id = a.media_id
WHERE (m.media_type = 'game' AND m.igdb_id IS NOT NULL) OR (m.media_type <> 'game' AND m.tmdb_id IS NOT NULL)
ORDER BY m.id;

-- name: calendar_regions(default_region)
-- The countries whose movie release dates are kept: every user's region and the default.
SELECT DISTINCT region FROM user_preferences WHERE region IS NOT NULL
UNION SELECT :default_region;

-- name: calendar_platforms_by_igdb(igdb_ids)
SELECT id, igdb_id FROM platforms WHERE igdb_id = ANY(:igdb_ids::bigint[]);

-- name: calendar_episode_rows(media_ids, date_from, date_to)
-- Episodes and season premieres of these shows airing in the window (from stored episodes), with
-- the moment they air when the network's air time is known (a premiere: its first episode's).
-- Each season's first air day comes from one grouped pass over the shows' episodes: as a min() per season,
-- right after a media server sync added thousands of episodes (statistics not yet refreshed), Postgres
-- walked the whole air-date index once per season (1.5 s for 2,000 seasons).
WITH firsts AS (
    SELECT e.season_id, min(e.air_date) AS air_date FROM episodes e
    WHERE e.media_id = ANY(:media_ids::bigint[]) GROUP BY e.season_id
), premieres AS (
    SELECT s.media_id, s.id AS season_id, coalesce(s.air_date, f.air_date) AS air_date
    FROM seasons s LEFT JOIN firsts f ON f.season_id = s.id
    WHERE s.media_id = ANY(:media_ids::bigint[]) AND s.season_number > 0
)
SELECT 'episode' AS what, e.media_id, e.season_id, e.id AS episode_id, e.air_date, e.air_at
FROM episodes e
WHERE e.media_id = ANY(:media_ids::bigint[]) AND e.air_date BETWEEN :date_from AND :date_to
UNION ALL
SELECT 'season', p.media_id, p.season_id, NULL, p.air_date,
       (SELECT e.air_at FROM episodes e WHERE e.season_id = p.season_id AND e.air_date = p.air_date
        ORDER BY e.episode_number LIMIT 1)
FROM premieres p
WHERE p.air_date BETWEEN :date_from AND :date_to
ORDER BY media_id, air_date;

-- name: calendar_replace_events(media_ids, kinds, source, is_demo, items)!
-- Makes the given kinds of events of the given titles exactly ``items``:
-- events of this source (or demo events, which real data replaces) that are
-- not in the input are deleted, the rest upserted on the natural key, so a
-- postponed release moves its row and ids (iCal UIDs) stay stable.
WITH input AS (
    SELECT DISTINCT ON (i.media_id, i.kind, i.season_id, i.episode_id, i.platform_id, i.region, i.release_type)
           i.*
    FROM jsonb_to_recordset(:items::jsonb) AS i(media_id bigint, kind text, season_id bigint, episode_id bigint,
                                                platform_id bigint, release_date date, release_precision text,
                                                release_type text, region text, release_at timestamptz)
    ORDER BY i.media_id, i.kind, i.season_id, i.episode_id, i.platform_id, i.region, i.release_type,
             i.release_date
), cleared AS (
    DELETE FROM release_events e
    WHERE e.media_id = ANY(:media_ids::bigint[]) AND e.kind = ANY(:kinds::text[])
      AND (e.source = :source OR e.is_demo)
      AND NOT EXISTS (SELECT 1 FROM input i
                      WHERE i.media_id = e.media_id AND i.kind = e.kind
                        AND i.season_id IS NOT DISTINCT FROM e.season_id
                        AND i.episode_id IS NOT DISTINCT FROM e.episode_id
                        AND i.platform_id IS NOT DISTINCT FROM e.platform_id
                        AND i.region IS NOT DISTINCT FROM e.region
                        AND i.release_type IS NOT DISTINCT FROM e.release_type)
)
INSERT INTO release_events (media_id, kind, season_id, episode_id, platform_id, release_date, release_precision,
                            release_type, region, is_demo, source, release_at)
SELECT media_id, kind, season_id, episode_id, platform_id, release_date, coalesce(release_precision, 'exact'),
       release_type, region, :is_demo, :source, release_at
FROM input
ON CONFLICT ON CONSTRAINT release_events_natural_key DO UPDATE SET
    release_date = excluded.release_date, release_precision = excluded.release_precision,
    release_at = excluded.release_at,
    is_demo = excluded.is_demo, source = excluded.source, updated_at = now();

-- ------------------------------------------------------------------ demo

-- name: calendar_demo_schedule(today, note, episodes)
-- Ongoing demo shows with no episode left to air get a next season whose
-- weekly episodes start within two weeks either side of the load date (the
-- offset is fixed per title). The season carries ``note`` in its overview so
-- it is recognisable as scheduled demo data, and a reload moves it along.
-- Its episodes air at the show's network air time when one is known (extra.airTime/airTimezone).
WITH shows AS (
    SELECT m.id AS media_id, m.runtime_minutes,
           CASE WHEN m.extra ->> 'airTime' ~ '^[0-2][0-9]:[0-5][0-9]$' AND m.extra ->> 'airTimezone' IN (
                    SELECT name FROM pg_timezone_names) THEN m.extra END AS slot,
           (SELECT max(s.season_number) FROM seasons s
            WHERE s.media_id = m.id AND s.overview IS DISTINCT FROM :note) AS last_season,
           mod(('x' || substr(md5(m.title), 1, 8))::bit(32)::int & 2147483647, 36) - 14 AS offset_days
    FROM media_items m
    WHERE m.is_demo AND m.media_type = 'show' AND m.status IN ('returning', 'in_production')
      AND NOT EXISTS (SELECT 1 FROM episodes e JOIN seasons s ON s.id = e.season_id
                      WHERE e.media_id = m.id AND e.air_date > :today::date
                        AND s.overview IS DISTINCT FROM :note)
), upserted AS (
    INSERT INTO seasons (media_id, season_number, name, overview, air_date, episode_count)
    SELECT media_id, last_season + 1, 'Season ' || (last_season + 1), :note, :today::date + offset_days, :episodes
    FROM shows WHERE last_season IS NOT NULL
    ON CONFLICT (media_id, season_number) DO UPDATE SET
        name = excluded.name, overview = excluded.overview, air_date = excluded.air_date,
        episode_count = excluded.episode_count, updated_at = now()
    RETURNING id, media_id, season_number, air_date
)
INSERT INTO episodes (media_id, season_id, season_number, episode_number, name, air_date, runtime_minutes, air_at)
SELECT u.media_id, u.id, u.season_number, n, 'Episode ' || n, u.air_date + 7 * (n - 1), s.runtime_minutes,
       ((u.air_date + 7 * (n - 1)) + (s.slot ->> 'airTime')::time) AT TIME ZONE (s.slot ->> 'airTimezone')
FROM upserted u JOIN shows s ON s.media_id = u.media_id
CROSS JOIN generate_series(1, :episodes) AS n
ON CONFLICT (media_id, season_number, episode_number) DO UPDATE SET
    air_date = excluded.air_date, air_at = excluded.air_at, updated_at = now()
RETURNING media_id;

-- name: calendar_demo_titles()
-- Demo titles with what their release events are made of.
SELECT m.id, m.media_type, m.release_date, coalesce(m.extra ->> 'release_precision', 'exact') AS precision,
       coalesce(m.extra ->> 'category', '') IN ('dlc', 'expansion') AS is_addon,
       coalesce((SELECT jsonb_agg(jsonb_build_object('platform_id', mp.platform_id, 'date', mp.release_date,
                                                     'precision', mp.release_precision) ORDER BY mp.platform_id)
                 FROM media_platforms mp WHERE mp.media_id = m.id), '[]'::jsonb) AS platforms
FROM media_items m
WHERE m.is_demo
ORDER BY m.id;

-- ------------------------------------------------------------------ read

-- name: calendar_events(date_from, date_to, default_region, followed, user_id, max_age, collections)
-- Events overlapping [from, to] for one user: every movie, game, DLC release
-- and season premiere, and episodes of the shows the user follows or saved.
-- An approximate release (month, quarter, year) spans its whole window. One
-- row per event key: the user's region first, then worldwide, then the default.
-- A title crediting a person the user follows names them (``person_name``,
-- the best billed) and also brings that title's episodes; a followed channel brings its videos. A day's events: timed
-- ones (``release_at``) in time order, then the "Anytime" ones.
WITH mine AS (
    -- The user's region (their preferences), else the default: read here, not in a statement of its own.
    SELECT coalesce((SELECT region FROM user_preferences WHERE user_id = :user_id), :default_region) AS region
), saved AS (
    SELECT media_id FROM user_watch_later WHERE user_id = :user_id
), people_titles AS (
    SELECT DISTINCT ON (c.media_id) c.media_id, p.name AS person_name
    FROM user_person_follows f JOIN media_credits c ON c.person_id = f.person_id JOIN people p ON p.id = f.person_id
    WHERE f.user_id = :user_id
    ORDER BY c.media_id, c.kind, c.ordering
), channel_titles AS (
    -- Videos of the YouTube channels the user follows (issue 36).
    SELECT v.media_id FROM channel_follows cf JOIN channel_videos v ON v.channel_id = cf.channel_id
    WHERE cf.user_id = :user_id
), candidates AS (
    SELECT e.*,
           CASE e.release_precision
               WHEN 'month' THEN (e.release_date + interval '1 month' - interval '1 day')::date
               WHEN 'quarter' THEN (e.release_date + interval '3 months' - interval '1 day')::date
               WHEN 'year' THEN (e.release_date + interval '1 year' - interval '1 day')::date
               ELSE e.release_date
           END AS window_end
    FROM release_events e
    WHERE e.release_date <= :date_to::date AND e.release_date > :date_from::date - 366
      AND (e.kind NOT IN ('episode_air', 'video_release') OR e.media_id = ANY(:followed::bigint[])
           OR e.media_id IN (SELECT media_id FROM saved) OR e.media_id IN (SELECT media_id FROM people_titles)
           OR e.media_id IN (SELECT media_id FROM channel_titles))
), picked AS (
    SELECT DISTINCT ON (c.media_id, c.kind, c.season_id, c.episode_id, c.platform_id, c.release_type) c.*
    FROM candidates c
    WHERE c.window_end >= :date_from::date
    ORDER BY c.media_id, c.kind, c.season_id, c.episode_id, c.platform_id, c.release_type,
             c.region IS NOT DISTINCT FROM (SELECT region FROM mine) DESC,
             (c.region IS NULL OR c.region = 'worldwide') DESC,
             c.region IS NOT DISTINCT FROM :default_region DESC,
             c.release_date, c.id
)
SELECT p.id, p.kind, p.release_date, p.window_end, p.release_precision, p.release_type, p.region, p.is_demo,
       p.release_at, pt.person_name,
       m.id AS media_id, m.media_type, m.title, m.year, m.poster_path, m.backdrop_path,
       m.extra ->> 'airTimeSource' AS air_time_source,
       coalesce(ep.season_number, s.season_number) AS season_number, ep.episode_number, ep.name AS episode_name,
       ep.overview AS episode_overview, ep.still_path AS episode_still_path,
       pl.slug AS platform_slug, pl.name AS platform_name, pl.abbreviation AS platform_abbreviation,
       ARRAY(SELECT DISTINCT g.slug FROM media_genres mg JOIN genres g ON g.id = mg.genre_id
             WHERE mg.media_id = m.id ORDER BY g.slug) AS genres,
       m.id = ANY(:followed::bigint[]) AS followed,
       m.id IN (SELECT media_id FROM saved) AS on_watch_later,
       ch.id AS channel_id, ch.title AS channel_title,
       -- The household's media servers holding it (the episode itself for an episode's event).
       CASE WHEN p.episode_id IS NOT NULL
            THEN ARRAY(SELECT DISTINCT ms.name FROM media_server_items i JOIN media_servers ms ON ms.id = i.server_id
                       WHERE i.episode_id = p.episode_id AND ms.enabled ORDER BY ms.name)
            ELSE ARRAY(SELECT DISTINCT ms.name FROM media_server_items i JOIN media_servers ms ON ms.id = i.server_id
                       WHERE i.media_id = p.media_id AND i.kind IN ('movie', 'show') AND ms.enabled ORDER BY ms.name)
       END AS owned_on
FROM picked p
JOIN media_items m ON m.id = p.media_id
LEFT JOIN channel_videos cv ON cv.media_id = p.media_id
LEFT JOIN channels ch ON ch.id = cv.channel_id
LEFT JOIN episodes ep ON ep.id = p.episode_id
LEFT JOIN seasons s ON s.id = p.season_id
LEFT JOIN platforms pl ON pl.id = p.platform_id
LEFT JOIN people_titles pt ON pt.media_id = p.media_id
WHERE true
  -- a kid profile: rated at most its max age, inside its allowed collections when it has any
  AND (:max_age::int IS NULL OR (m.min_age <= :max_age AND (cardinality(:collections::uuid[]) = 0
       OR EXISTS (SELECT 1 FROM collection_items ci
                  WHERE ci.media_id = m.id AND ci.collection_id = ANY(:collections::uuid[])))))
ORDER BY p.release_date, p.release_at NULLS LAST, m.title, season_number NULLS FIRST, ep.episode_number NULLS FIRST, pl.name NULLS FIRST,
         p.id;

-- name: calendar_platform_exists(slug)$
SELECT EXISTS (SELECT 1 FROM platforms WHERE slug = :slug);

-- name: calendar_genre_exists(slug)$
SELECT EXISTS (SELECT 1 FROM genres WHERE slug = :slug);

-- ------------------------------------------------------------ feed token

-- name: calendar_set_token(user_id, token_hash)^
-- Rotation: the new hash replaces the old one, so the old feed URL stops working.
INSERT INTO user_preferences (user_id, calendar_token_hash, calendar_token_created_at)
VALUES (:user_id, :token_hash, now())
ON CONFLICT (user_id) DO UPDATE SET calendar_token_hash = excluded.calendar_token_hash,
                                    calendar_token_created_at = excluded.calendar_token_created_at,
                                    updated_at = now()
RETURNING calendar_token_created_at AS created_at;

-- name: calendar_token_owner(token_hash)^
-- The (enabled) user whose feed token hashes to this value, with its profile's kind and limit (a kid
-- profile's feed is filtered as its calendar is; no profiles row: an adult).
SELECT p.user_id, p.calendar_token_hash, pr.kind AS profile_kind, pr.max_rating,
       coalesce(pr.allowed_collections, '{}') AS allowed_collections
FROM user_preferences p JOIN users u ON u.id = p.user_id
LEFT JOIN profiles pr ON pr.id = p.user_id
WHERE p.calendar_token_hash = :token_hash AND u.disabled_at IS NULL;

-- name: calendar_owned_show_ids()
-- Shows the household's media servers hold (enabled servers): their stored episodes are calendar events.
SELECT DISTINCT i.media_id FROM media_server_items i JOIN media_servers s ON s.id = i.server_id
WHERE i.kind = 'show' AND i.media_id IS NOT NULL AND s.enabled
ORDER BY i.media_id;

-- name: calendar_drop_unowned_events(owned)$
-- Events the media servers' shows brought, of shows no server holds any more.
WITH gone AS (
    DELETE FROM release_events WHERE source = 'mediaserver' AND NOT (media_id = ANY(:owned::bigint[])) RETURNING 1
)
SELECT count(*) FROM gone;
