-- Catalog: movies, shows, games, genres, platforms, discover rows, sync bookkeeping.
--
-- Batch writes take one JSON array parameter (``items``) and expand it with
-- jsonb_to_recordset, so loading hundreds of titles is one round trip per
-- table, not one per row. Generated columns (sort_title, year, search_tsv)
-- are never written.

-- ---------------------------------------------------------------- media upsert

-- name: catalog_resolve_media(items)
-- Which stored row each input item is: same upstream id first, else an
-- id-less (demo) row with the same type, title and year, so a sync merges onto
-- demo rows instead of duplicating them. Three joins, each an index or hash
-- join, then the best hit per item: one lateral lookup with the three ORed
-- could use no index and scanned the table per item (5 s for 8,000 new titles).
WITH i AS (
    SELECT * FROM jsonb_to_recordset(:items::jsonb) AS i(key text, media_type text, tmdb_id bigint,
                                                         igdb_id bigint, title text, year int)
), hits AS (
    SELECT i.key, c.id, c.is_demo, 0 AS rank
    FROM i JOIN media_items c ON c.tmdb_id = i.tmdb_id AND c.media_type = i.media_type
    UNION ALL
    SELECT i.key, c.id, c.is_demo, 0
    FROM i JOIN media_items c ON c.igdb_id = i.igdb_id AND c.media_type = i.media_type
    UNION ALL
    SELECT i.key, c.id, c.is_demo, 1
    FROM i JOIN media_items c ON lower(c.title) = lower(i.title) AND c.media_type = i.media_type
    WHERE c.tmdb_id IS NULL AND c.igdb_id IS NULL AND c.year IS NOT DISTINCT FROM i.year
)
SELECT DISTINCT ON (key) key, id, is_demo FROM hits ORDER BY key, rank, id;

-- name: catalog_update_media(items)!
-- Updates matched rows. Missing (null) fields keep what is stored, so a list
-- result never wipes details; upstream data never gets overwritten by demo data.
UPDATE media_items AS m SET
    tmdb_id = coalesce(m.tmdb_id, i.tmdb_id),
    igdb_id = coalesce(m.igdb_id, i.igdb_id),
    imdb_id = coalesce(i.imdb_id, m.imdb_id),
    tvdb_id = coalesce(i.tvdb_id, m.tvdb_id),
    title = i.title,
    original_title = coalesce(i.original_title, m.original_title),
    overview = coalesce(i.overview, m.overview),
    tagline = coalesce(i.tagline, m.tagline),
    release_date = coalesce(i.release_date, m.release_date),
    last_air_date = coalesce(i.last_air_date, m.last_air_date),
    runtime_minutes = coalesce(i.runtime_minutes, m.runtime_minutes),
    poster_path = coalesce(i.poster_path, m.poster_path),
    backdrop_path = coalesce(i.backdrop_path, m.backdrop_path),
    logo_path = coalesce(i.logo_path, m.logo_path),
    popularity = coalesce(i.popularity, m.popularity),
    vote_average = coalesce(i.vote_average, m.vote_average),
    vote_count = coalesce(i.vote_count, m.vote_count),
    status = coalesce(i.status, m.status),
    original_language = coalesce(i.original_language, m.original_language),
    origin_countries = coalesce(i.origin_countries, m.origin_countries),
    adult = coalesce(i.adult, m.adult),
    content_rating = coalesce(i.content_rating, m.content_rating),
    min_age = CASE WHEN i.content_rating IS NOT NULL THEN i.min_age ELSE m.min_age END,
    is_demo = m.is_demo AND i.is_demo,
    extra = CASE WHEN i.is_demo THEN m.extra ELSE m.extra - 'derived' - 'announced' - 'demo' END || i.extra,
    details_fetched_at = CASE WHEN i.details THEN now() ELSE m.details_fetched_at END,
    details_attempted_at = CASE WHEN i.details THEN now() ELSE m.details_attempted_at END,
    updated_at = now()
FROM jsonb_to_recordset(:items::jsonb) AS i(
    id bigint, tmdb_id bigint, igdb_id bigint, imdb_id text, tvdb_id bigint, title text, original_title text,
    overview text, tagline text, release_date date, last_air_date date, runtime_minutes int, poster_path text,
    backdrop_path text, logo_path text, popularity double precision, vote_average numeric, vote_count int,
    status text, original_language text, origin_countries text[], adult boolean, content_rating text,
    min_age smallint, is_demo boolean, extra jsonb, details boolean)
WHERE m.id = i.id
  AND NOT (i.is_demo AND NOT m.is_demo);

-- name: catalog_insert_media(items)!
-- New rows. A row inserted concurrently by another run is left alone (the
-- caller resolves ids again afterwards).
INSERT INTO media_items (
    media_type, tmdb_id, igdb_id, imdb_id, tvdb_id, title, original_title, overview, tagline, release_date,
    last_air_date, runtime_minutes, poster_path, backdrop_path, logo_path, popularity, vote_average, vote_count,
    status, original_language, origin_countries, adult, content_rating, min_age, is_demo, extra, details_fetched_at,
    details_attempted_at)
SELECT i.media_type, i.tmdb_id, i.igdb_id, i.imdb_id, i.tvdb_id, i.title, i.original_title, i.overview,
       i.tagline, i.release_date, i.last_air_date, i.runtime_minutes, i.poster_path, i.backdrop_path, i.logo_path,
       i.popularity, i.vote_average, coalesce(i.vote_count, 0), i.status, i.original_language,
       coalesce(i.origin_countries, '{}'), coalesce(i.adult, false), i.content_rating, i.min_age, i.is_demo, i.extra,
       CASE WHEN i.details THEN now() END, CASE WHEN i.details THEN now() END
FROM jsonb_to_recordset(:items::jsonb) AS i(
    media_type text, tmdb_id bigint, igdb_id bigint, imdb_id text, tvdb_id bigint, title text,
    original_title text, overview text, tagline text, release_date date, last_air_date date, runtime_minutes int,
    poster_path text, backdrop_path text, logo_path text, popularity double precision, vote_average numeric,
    vote_count int, status text, original_language text, origin_countries text[], adult boolean,
    content_rating text, min_age smallint, is_demo boolean, extra jsonb, details boolean)
ON CONFLICT DO NOTHING;

-- ------------------------------------------------------- genres, platforms, ...

-- name: catalog_upsert_genres(items)!
INSERT INTO genres (source, kind, external_id, name, slug, media_types)
SELECT i.source, i.kind, i.external_id, i.name, i.slug, i.media_types
FROM jsonb_to_recordset(:items::jsonb) AS i(source text, kind text, external_id bigint, name text, slug text,
                                            media_types text[])
ON CONFLICT (source, kind, external_id) DO UPDATE SET
    name = excluded.name,
    slug = excluded.slug,
    media_types = ARRAY(SELECT DISTINCT unnest(genres.media_types || excluded.media_types) ORDER BY 1),
    updated_at = now()
WHERE genres.name IS DISTINCT FROM excluded.name
   OR genres.slug IS DISTINCT FROM excluded.slug
   OR NOT genres.media_types @> excluded.media_types;

-- name: catalog_replace_media_genres(media_ids, items)!
-- Makes the genres of the given titles exactly the given pairs (unknown
-- genres are skipped). The delete and the insert touch disjoint rows, so one
-- statement is safe.
WITH input AS (
    SELECT DISTINCT i.media_id, g.id AS genre_id
    FROM jsonb_to_recordset(:items::jsonb) AS i(media_id bigint, source text, kind text, external_id bigint)
    JOIN genres g ON g.source = i.source AND g.kind = i.kind AND g.external_id = i.external_id
), cleared AS (
    DELETE FROM media_genres mg
    WHERE mg.media_id = ANY(:media_ids::bigint[])
      AND NOT EXISTS (SELECT 1 FROM input i WHERE i.media_id = mg.media_id AND i.genre_id = mg.genre_id)
)
INSERT INTO media_genres (media_id, genre_id)
SELECT media_id, genre_id FROM input
ON CONFLICT DO NOTHING;

-- name: catalog_claim_platforms(items)!
-- A platform first stored without an IGDB id (demo) takes the id IGDB gives it.
UPDATE platforms p SET igdb_id = i.igdb_id, updated_at = now()
FROM jsonb_to_recordset(:items::jsonb) AS i(igdb_id bigint, slug text)
WHERE p.slug = i.slug AND p.igdb_id IS NULL AND i.igdb_id IS NOT NULL
  AND NOT EXISTS (SELECT 1 FROM platforms o WHERE o.igdb_id = i.igdb_id);

-- name: catalog_upsert_platforms(items)!
INSERT INTO platforms (igdb_id, name, abbreviation, slug)
SELECT i.igdb_id, i.name, i.abbreviation, i.slug
FROM jsonb_to_recordset(:items::jsonb) AS i(igdb_id bigint, name text, abbreviation text, slug text)
ON CONFLICT (slug) DO UPDATE SET
    igdb_id = coalesce(platforms.igdb_id, excluded.igdb_id),
    name = excluded.name,
    abbreviation = coalesce(excluded.abbreviation, platforms.abbreviation),
    updated_at = now();

-- name: catalog_replace_media_platforms(media_ids, items)!
WITH input AS (
    SELECT DISTINCT ON (i.media_id, p.id) i.media_id, p.id AS platform_id, i.release_date, i.release_precision
    FROM jsonb_to_recordset(:items::jsonb) AS i(media_id bigint, slug text, release_date date,
                                                release_precision text)
    JOIN platforms p ON p.slug = i.slug
    ORDER BY i.media_id, p.id, i.release_date NULLS LAST
), cleared AS (
    DELETE FROM media_platforms mp
    WHERE mp.media_id = ANY(:media_ids::bigint[])
      AND NOT EXISTS (SELECT 1 FROM input i WHERE i.media_id = mp.media_id AND i.platform_id = mp.platform_id)
)
INSERT INTO media_platforms (media_id, platform_id, release_date, release_precision)
SELECT media_id, platform_id, release_date, release_precision FROM input
ON CONFLICT (media_id, platform_id) DO UPDATE SET
    release_date = excluded.release_date, release_precision = excluded.release_precision;

-- name: catalog_upsert_franchises(items)
-- Upstream franchises by (source, external_id); local ones (no external id) by name.
WITH input AS (
    SELECT * FROM jsonb_to_recordset(:items::jsonb) AS i(source text, external_id bigint, name text, slug text)
), upstream AS (
    INSERT INTO franchises (source, external_id, name, slug)
    SELECT source, external_id, name, slug FROM input WHERE external_id IS NOT NULL
    ON CONFLICT (source, external_id) DO UPDATE SET name = excluded.name, slug = excluded.slug, updated_at = now()
    RETURNING id, source, external_id, name
), local AS (
    INSERT INTO franchises (source, external_id, name, slug)
    SELECT DISTINCT ON (i.name) i.source, NULL, i.name, i.slug FROM input i
    WHERE i.external_id IS NULL
      AND NOT EXISTS (SELECT 1 FROM franchises f WHERE f.source = i.source AND f.external_id IS NULL
                                                   AND f.name = i.name)
    RETURNING id, source, external_id, name
)
SELECT id, source, external_id, name FROM upstream
UNION ALL SELECT id, source, external_id, name FROM local
UNION ALL
SELECT f.id, f.source, f.external_id, f.name FROM franchises f JOIN input i
  ON f.source = i.source AND f.external_id IS NULL AND i.external_id IS NULL AND f.name = i.name;

-- name: catalog_replace_media_franchises(media_ids, items)!
WITH input AS (
    SELECT DISTINCT ON (i.media_id, i.franchise_id) i.media_id, i.franchise_id, i.is_primary
    FROM jsonb_to_recordset(:items::jsonb) AS i(media_id bigint, franchise_id bigint, is_primary boolean)
    ORDER BY i.media_id, i.franchise_id, i.is_primary DESC
), cleared AS (
    DELETE FROM media_franchises mf
    WHERE mf.media_id = ANY(:media_ids::bigint[])
      AND NOT EXISTS (SELECT 1 FROM input i WHERE i.media_id = mf.media_id AND i.franchise_id = mf.franchise_id)
)
INSERT INTO media_franchises (media_id, franchise_id, is_primary)
SELECT media_id, franchise_id, is_primary FROM input
ON CONFLICT (media_id, franchise_id) DO UPDATE SET is_primary = excluded.is_primary;

-- name: catalog_replace_relations(media_ids, relations, source, items)!
-- Makes the given relation kinds of the given titles exactly the given list.
WITH input AS (
    SELECT DISTINCT ON (i.media_id, i.relation, i.related_media_id)
           i.media_id, i.relation, i.related_media_id, i.position
    FROM jsonb_to_recordset(:items::jsonb) AS i(media_id bigint, relation text, related_media_id bigint,
                                                position int)
    WHERE i.media_id <> i.related_media_id
    ORDER BY i.media_id, i.relation, i.related_media_id, i.position
), cleared AS (
    DELETE FROM media_relations r
    WHERE r.media_id = ANY(:media_ids::bigint[]) AND r.relation = ANY(:relations::text[]) AND r.source = :source
      AND NOT EXISTS (SELECT 1 FROM input i WHERE i.media_id = r.media_id AND i.relation = r.relation
                                              AND i.related_media_id = r.related_media_id)
)
INSERT INTO media_relations (media_id, relation, related_media_id, source, position)
SELECT media_id, relation, related_media_id, :source, position FROM input
ON CONFLICT (media_id, relation, related_media_id) DO UPDATE SET
    position = excluded.position, source = excluded.source, updated_at = now();

-- ------------------------------------------------------------ seasons, episodes

-- name: catalog_upsert_seasons(items)!
INSERT INTO seasons (media_id, tmdb_id, season_number, name, overview, air_date, poster_path, episode_count)
SELECT i.media_id, i.tmdb_id, i.season_number, i.name, i.overview, i.air_date, i.poster_path, i.episode_count
FROM jsonb_to_recordset(:items::jsonb) AS i(media_id bigint, tmdb_id bigint, season_number int, name text,
                                            overview text, air_date date, poster_path text, episode_count int)
ON CONFLICT (media_id, season_number) DO UPDATE SET
    tmdb_id = coalesce(excluded.tmdb_id, seasons.tmdb_id),
    name = coalesce(excluded.name, seasons.name),
    overview = coalesce(excluded.overview, seasons.overview),
    air_date = coalesce(excluded.air_date, seasons.air_date),
    poster_path = coalesce(excluded.poster_path, seasons.poster_path),
    episode_count = coalesce(excluded.episode_count, seasons.episode_count),
    updated_at = now();

-- name: catalog_upsert_episodes(items)!
-- ``air_at`` follows the air date it was computed from: an input with an air date sets it (NULL =
-- "Anytime"), one without keeps what is stored.
INSERT INTO episodes (media_id, season_id, season_number, episode_number, tmdb_id, name, overview, air_date,
                      runtime_minutes, still_path, air_at)
SELECT i.media_id, s.id, i.season_number, i.episode_number, i.tmdb_id, i.name, i.overview, i.air_date,
       i.runtime_minutes, i.still_path, i.air_at
FROM jsonb_to_recordset(:items::jsonb) AS i(media_id bigint, season_number int, episode_number int,
                                            tmdb_id bigint, name text, overview text, air_date date,
                                            runtime_minutes int, still_path text, air_at timestamptz)
JOIN seasons s ON s.media_id = i.media_id AND s.season_number = i.season_number
ON CONFLICT (media_id, season_number, episode_number) DO UPDATE SET
    tmdb_id = coalesce(excluded.tmdb_id, episodes.tmdb_id),
    name = coalesce(excluded.name, episodes.name),
    overview = coalesce(excluded.overview, episodes.overview),
    air_date = coalesce(excluded.air_date, episodes.air_date),
    runtime_minutes = coalesce(excluded.runtime_minutes, episodes.runtime_minutes),
    still_path = coalesce(excluded.still_path, episodes.still_path),
    air_at = CASE WHEN excluded.air_date IS NOT NULL THEN excluded.air_at ELSE episodes.air_at END,
    updated_at = now();

-- ------------------------------------------------------------- people, credits

-- name: catalog_upsert_people(items)!
-- TMDB people by tmdb_id; a missing photo, department or popularity keeps the stored one.
INSERT INTO people (tmdb_id, name, profile_path, known_for_department, popularity)
SELECT DISTINCT ON (i.tmdb_id) i.tmdb_id, i.name, i.profile_path, i.known_for_department, i.popularity
FROM jsonb_to_recordset(:items::jsonb) AS i(tmdb_id bigint, name text, profile_path text,
                                            known_for_department text, popularity double precision)
ORDER BY i.tmdb_id
ON CONFLICT (tmdb_id) WHERE tmdb_id IS NOT NULL DO UPDATE SET
    name = excluded.name,
    profile_path = coalesce(excluded.profile_path, people.profile_path),
    known_for_department = coalesce(excluded.known_for_department, people.known_for_department),
    popularity = coalesce(excluded.popularity, people.popularity),
    updated_at = now();

-- name: catalog_writable_credit_titles(media_ids, demo_ids)
-- Replacing titles' credits (TMDB's replace IMDb's: a title's credits come from one source): the
-- titles whose credits may be replaced. Demo credits never replace those of a title a sync took over.
SELECT id FROM media_items
WHERE id = ANY(:media_ids::bigint[]) AND NOT (id = ANY(:demo_ids::bigint[]) AND NOT is_demo);

-- name: catalog_clear_credits(media_ids)!
DELETE FROM media_credits WHERE media_id = ANY(:media_ids::bigint[]);

-- name: catalog_insert_credits(items)!
-- Second half: the new credits (people already upserted, matched by tmdb_id).
INSERT INTO media_credits (media_id, kind, ordering, person_id, character, job, department, source)
SELECT i.media_id, i.kind, i.ordering, p.id, i.character, i.job, i.department, 'tmdb'
FROM jsonb_to_recordset(:items::jsonb) AS i(media_id bigint, kind text, ordering int, tmdb_id bigint,
                                            character text, job text, department text)
JOIN people p ON p.tmdb_id = i.tmdb_id
ON CONFLICT (media_id, kind, ordering) DO NOTHING;

-- ------------------------------------------------------- lazy artwork backfill

-- name: catalog_claim_backfill(media_id, cooldown_seconds)^
-- A title without artwork and TMDB id (an IMDb import) asks TMDB's /find once; a failed try is
-- not repeated until the cooldown has passed.
UPDATE media_items SET backfill_attempted_at = now()
WHERE id = :media_id AND poster_path IS NULL AND tmdb_id IS NULL AND imdb_id IS NOT NULL AND media_type <> 'game'
  AND (backfill_attempted_at IS NULL OR backfill_attempted_at < now() - make_interval(secs => :cooldown_seconds))
RETURNING id;

-- name: catalog_store_backfill(media_id, tmdb_id, poster_path, backdrop_path, original_language, popularity)^
-- What /find knows. The TMDB id is taken only if no other title of the type has it (it is unique per
-- type: that other row is the same title, already synced); stored values are never overwritten.
UPDATE media_items m SET
    tmdb_id = CASE WHEN NOT EXISTS (SELECT 1 FROM media_items o WHERE o.media_type = m.media_type
                                                               AND o.tmdb_id = :tmdb_id)
                   THEN :tmdb_id ELSE m.tmdb_id END,
    poster_path = coalesce(m.poster_path, :poster_path),
    backdrop_path = coalesce(m.backdrop_path, :backdrop_path),
    original_language = coalesce(m.original_language, :original_language),
    popularity = coalesce(m.popularity, :popularity),
    updated_at = now()
WHERE m.id = :media_id AND m.tmdb_id IS NULL
RETURNING m.*;

-- ------------------------------------------------------------ discover sections

-- name: catalog_upsert_section(key, title, media_type, source, position, definition, pinned)$
INSERT INTO discover_sections (key, title, media_type, source, position, definition, pinned)
VALUES (:key, :title, :media_type, :source, :position, :definition::jsonb, :pinned)
ON CONFLICT (key) DO UPDATE SET
    title = excluded.title, media_type = excluded.media_type, source = excluded.source,
    position = excluded.position, definition = excluded.definition, pinned = excluded.pinned, is_enabled = true,
    updated_at = now()
RETURNING id;

-- name: catalog_replace_section_items(section_id, media_ids)!
-- Called inside the transaction that upserted the titles, so a section only
-- ever changes from one complete list to the next.
WITH input AS (
    SELECT t.media_id, min(t.ord)::int - 1 AS position
    FROM unnest(:media_ids::bigint[]) WITH ORDINALITY AS t(media_id, ord)
    GROUP BY t.media_id
), cleared AS (
    DELETE FROM discover_section_items d
    WHERE d.section_id = :section_id AND NOT EXISTS (SELECT 1 FROM input i WHERE i.media_id = d.media_id)
), stamped AS (
    UPDATE discover_sections SET refreshed_at = now(), updated_at = now() WHERE id = :section_id
)
INSERT INTO discover_section_items (section_id, media_id, position)
SELECT :section_id, media_id, position FROM input
ON CONFLICT (section_id, media_id) DO UPDATE SET position = excluded.position;

-- name: catalog_disable_sections_except(source, keys)!
UPDATE discover_sections SET is_enabled = false, updated_at = now()
WHERE source = :source AND is_enabled AND NOT (key = ANY(:keys::text[]));

-- name: catalog_curated_candidates(media_type, genre, min_votes, sort, row_limit)
-- The titles a curated collection (YAML filter) currently selects.
SELECT m.id
FROM media_items m
WHERE ((:media_type::text IS NULL AND m.media_type <> 'video') OR m.media_type = :media_type)
  AND (:genre::text IS NULL OR EXISTS (
        SELECT 1 FROM media_genres mg JOIN genres g ON g.id = mg.genre_id
        WHERE mg.media_id = m.id AND g.slug = :genre))
  AND m.vote_count >= :min_votes
  AND (:sort <> 'newest' OR m.release_date <= current_date)
ORDER BY
    CASE WHEN :sort = 'top_rated' THEN m.vote_average END DESC NULLS LAST,
    CASE WHEN :sort = 'newest' THEN m.release_date END DESC NULLS LAST,
    CASE WHEN :sort = 'a-z' THEN m.sort_title END ASC,
    m.popularity DESC NULLS LAST, m.id
LIMIT :row_limit;

-- name: catalog_size_estimate()$
-- How many titles the catalog holds, as the planner estimates it (no scan; -1 before the first ANALYZE).
SELECT reltuples::bigint FROM pg_class WHERE oid = 'media_items'::regclass;

-- name: catalog_genre_counts(min_titles)
-- Per genre slug: how many movies and shows carry it, and whether it is a custom genre; only slugs with at least
-- :min_titles of one kind. Discover's genre rows are chosen from these after a sync (not per request).
SELECT g.slug, min(g.name) AS name, bool_or(g.source = 'custom') AS custom,
       count(DISTINCT mg.media_id) FILTER (WHERE m.media_type = 'movie') AS movies,
       count(DISTINCT mg.media_id) FILTER (WHERE m.media_type = 'show') AS shows
FROM genres g
JOIN media_genres mg ON mg.genre_id = g.id
JOIN media_items m ON m.id = mg.media_id
WHERE g.kind = 'genre' AND m.media_type IN ('movie', 'show')
GROUP BY g.slug
HAVING greatest(count(DISTINCT mg.media_id) FILTER (WHERE m.media_type = 'movie'),
                count(DISTINCT mg.media_id) FILTER (WHERE m.media_type = 'show')) >= :min_titles
ORDER BY g.slug;

-- Sync runs are recorded through chalicelib/jobruns (jobruns.sql).

-- ------------------------------------------------------------------ read side
-- List queries return one row: {total, items} where items is a JSON array of
-- summaries in order, so a page and its total cost one round trip and a page
-- past the end still reports the total.

-- name: catalog_browse(media_type, genre, year_from, year_to, rating_min, original_language, country, votes_min, sort, min_votes, row_limit, row_offset, max_age, collections)^
WITH filtered AS (
    SELECT m.id, m.media_type, m.title, m.original_title, m.year, m.release_date, m.poster_path,
           m.backdrop_path, m.vote_average, m.vote_count, m.popularity, m.status, m.is_demo, m.sort_title
    FROM media_items m
    WHERE ((:media_type::text IS NULL AND m.media_type <> 'video') OR m.media_type = :media_type)
      AND (:genre::text IS NULL OR EXISTS (
            SELECT 1 FROM media_genres mg JOIN genres g ON g.id = mg.genre_id
            WHERE mg.media_id = m.id AND g.slug = :genre))
      AND (:year_from::int IS NULL OR m.year >= :year_from)
      AND (:year_to::int IS NULL OR m.year <= :year_to)
      AND (:rating_min::numeric IS NULL OR m.vote_average >= :rating_min)
      AND (:original_language::text IS NULL OR m.original_language = :original_language)
      AND (:country::text IS NULL OR m.origin_countries @> ARRAY[:country::text])
      AND (:votes_min::int IS NULL OR m.vote_count >= :votes_min)
      -- a kid profile: rated at most its max age, inside its allowed collections when it has any
      AND (:max_age::int IS NULL OR (m.min_age <= :max_age AND (cardinality(:collections::uuid[]) = 0
           OR EXISTS (SELECT 1 FROM collection_items ci
                      WHERE ci.media_id = m.id AND ci.collection_id = ANY(:collections::uuid[])))))
      -- A hidden gem is well rated by enough voters; the sort then favours the fewest votes.
      AND (:sort <> 'hidden_gems' OR (m.vote_average >= 7 AND m.vote_count >= :min_votes))
), viewed AS (
    -- popular_here: the household's title views over the engagement window (7 days)
    SELECT e.media_id, count(*) AS views FROM engagement_events e
    WHERE :sort = 'popular_here' AND e.kind = 'title_view' AND e.day > current_date - 7
    GROUP BY e.media_id
), keyed AS (
    SELECT f.*,
        CASE WHEN :sort = 'trending' THEN (
            SELECT min(d.position) FROM discover_section_items d
            JOIN discover_sections s ON s.id = d.section_id
            WHERE d.media_id = f.id AND s.is_enabled AND s.key LIKE '%%trending%%') END AS k_trend,
        CASE WHEN :sort = 'top_rated' THEN f.vote_count >= :min_votes END AS k_voted,
        CASE WHEN :sort = 'top_rated' THEN f.vote_average END AS k_rating,
        CASE WHEN :sort = 'newest' THEN f.release_date <= current_date END AS k_released,
        CASE WHEN :sort = 'newest' THEN f.release_date END AS k_date,
        CASE WHEN :sort = 'hidden_gems' THEN f.vote_average / ln(greatest(f.vote_count, 0) + 2.72) END AS k_gem,
        CASE WHEN :sort = 'most_rated' THEN f.vote_count END AS k_votes,
        CASE WHEN :sort = 'popular_here' THEN coalesce(v.views, 0) END AS k_here,
        CASE WHEN :sort = 'a-z' THEN f.sort_title END AS k_title
    FROM filtered f
    LEFT JOIN viewed v ON v.media_id = f.id
), page AS (
    SELECT * FROM keyed
    ORDER BY k_trend ASC NULLS LAST, k_voted DESC NULLS LAST, k_rating DESC NULLS LAST, k_released DESC NULLS LAST,
             k_date DESC NULLS LAST, k_gem DESC NULLS LAST, k_votes DESC NULLS LAST, k_here DESC NULLS LAST,
             k_title ASC, popularity DESC NULLS LAST, id
    LIMIT :row_limit OFFSET :row_offset
)
SELECT (SELECT count(*) FROM filtered) AS total,
       coalesce((
           SELECT jsonb_agg(jsonb_build_object(
                      'id', p.id, 'media_type', p.media_type, 'title', p.title, 'original_title', p.original_title,
                      'year', p.year, 'release_date', p.release_date, 'poster_path', p.poster_path,
                      'backdrop_path', p.backdrop_path, 'vote_average', p.vote_average,
                      'vote_count', p.vote_count, 'popularity', p.popularity, 'status', p.status,
                      'is_demo', p.is_demo,
                      'genres', ARRAY(SELECT g.name FROM media_genres mg JOIN genres g ON g.id = mg.genre_id
                                      WHERE mg.media_id = p.id ORDER BY g.kind, g.name))
                  ORDER BY k_trend ASC NULLS LAST, k_voted DESC NULLS LAST, k_rating DESC NULLS LAST,
                           k_released DESC NULLS LAST, k_date DESC NULLS LAST, k_gem DESC NULLS LAST,
                           k_votes DESC NULLS LAST, k_here DESC NULLS LAST, k_title ASC,
                           popularity DESC NULLS LAST, id)
           FROM page p), '[]'::jsonb) AS items;

-- name: catalog_discover_rows(media_type, genre, year_from, year_to, rating_min, original_language, country, votes_min, sort, min_votes, row_size, max_age, collections)
-- Every enabled discover row with its first ``row_size`` titles after the
-- filters, in the row's own order unless ``sort`` is given. Rows keep their
-- position, except that curated collections (one block) are ordered among
-- themselves pinned first, then by engagement over 7 days: clicks on the row
-- plus views of its titles.
SELECT s.key, s.title, s.media_type, s.source, s.refreshed_at, s.pinned, r.items
FROM discover_sections s
CROSS JOIN LATERAL (
    SELECT coalesce(jsonb_agg(jsonb_build_object(
               'id', x.id, 'media_type', x.media_type, 'title', x.title, 'original_title', x.original_title,
               'year', x.year, 'release_date', x.release_date, 'poster_path', x.poster_path,
               'backdrop_path', x.backdrop_path, 'vote_average', x.vote_average, 'vote_count', x.vote_count,
               'popularity', x.popularity, 'status', x.status, 'is_demo', x.is_demo,
               'genres', ARRAY(SELECT g.name FROM media_genres mg JOIN genres g ON g.id = mg.genre_id
                               WHERE mg.media_id = x.id ORDER BY g.kind, g.name))
           ORDER BY x.ord), '[]'::jsonb) AS items
    FROM (
        SELECT m.*, row_number() OVER (ORDER BY
                   CASE WHEN :sort::text IS NULL OR :sort = 'trending' THEN d.position END ASC,
                   CASE WHEN :sort = 'top_rated' THEN m.vote_count >= :min_votes END DESC NULLS LAST,
                   CASE WHEN :sort IN ('top_rated', 'hidden_gems') THEN m.vote_average END DESC NULLS LAST,
                   CASE WHEN :sort = 'most_rated' THEN m.vote_count END DESC NULLS LAST,
                   CASE WHEN :sort = 'popular_here' THEN (
                       SELECT count(*) FROM engagement_events e
                       WHERE e.media_id = m.id AND e.kind = 'title_view' AND e.day > current_date - 7) END
                       DESC NULLS LAST,
                   CASE WHEN :sort = 'newest' THEN m.release_date END DESC NULLS LAST,
                   CASE WHEN :sort = 'a-z' THEN m.sort_title END ASC,
                   m.popularity DESC NULLS LAST, m.id) AS ord
        FROM discover_section_items d
        JOIN media_items m ON m.id = d.media_id
        WHERE d.section_id = s.id
          AND ((:media_type::text IS NULL AND m.media_type <> 'video') OR m.media_type = :media_type)
          AND (:genre::text IS NULL OR EXISTS (
                SELECT 1 FROM media_genres mg JOIN genres g ON g.id = mg.genre_id
                WHERE mg.media_id = m.id AND g.slug = :genre))
          AND (:year_from::int IS NULL OR m.year >= :year_from)
          AND (:year_to::int IS NULL OR m.year <= :year_to)
          AND (:rating_min::numeric IS NULL OR m.vote_average >= :rating_min)
          AND (:original_language::text IS NULL OR m.original_language = :original_language)
          AND (:country::text IS NULL OR m.origin_countries @> ARRAY[:country::text])
          AND (:votes_min::int IS NULL OR m.vote_count >= :votes_min)
          AND (:sort::text IS DISTINCT FROM 'hidden_gems' OR (m.vote_average >= 7 AND m.vote_count >= :min_votes))
          -- a kid profile: rated at most its max age, inside its allowed collections when it has any
          AND (:max_age::int IS NULL OR (m.min_age <= :max_age AND (cardinality(:collections::uuid[]) = 0
               OR EXISTS (SELECT 1 FROM collection_items ci
                          WHERE ci.media_id = m.id AND ci.collection_id = ANY(:collections::uuid[])))))
        ORDER BY ord
        LIMIT :row_size
    ) x
) r
CROSS JOIN LATERAL (
    SELECT CASE WHEN s.source <> 'curated' THEN 0 ELSE
               (SELECT count(*) FROM engagement_events e
                WHERE e.section_id = s.id AND e.kind = 'collection_click' AND e.day > current_date - 7)
               + (SELECT count(*) FROM engagement_events e JOIN discover_section_items d ON d.media_id = e.media_id
                  WHERE d.section_id = s.id AND e.kind = 'title_view' AND e.day > current_date - 7) END AS score,
           (SELECT min(c.position) FROM discover_sections c WHERE c.source = 'curated' AND c.is_enabled) AS block
) AS engagement
WHERE s.is_enabled
  AND (:media_type::text IS NULL OR s.media_type IS NULL OR s.media_type = :media_type)
  AND jsonb_array_length(r.items) > 0
ORDER BY CASE WHEN s.source = 'curated' THEN engagement.block ELSE s.position END, s.pinned DESC,
         engagement.score DESC, s.position, s.id;

-- name: catalog_list_genres(media_type)
-- Genres by slug across sources (Adventure is both a TMDB and an IGDB genre).
SELECT g.slug, min(g.name) AS name, array_agg(DISTINCT t.media_type ORDER BY t.media_type) AS media_types
FROM genres g
CROSS JOIN LATERAL unnest(g.media_types) AS t(media_type)
WHERE g.kind = 'genre' AND (:media_type::text IS NULL OR t.media_type = :media_type)
GROUP BY g.slug
ORDER BY min(g.name), g.slug;

-- name: catalog_search_settings(threshold)^
-- Per transaction: the word-similarity threshold of the whole-title fallback (<%), and one plan
-- for every query text (planning the search costs more than running it; no condition needs the
-- query's value to find its index).
SELECT set_config('pg_trgm.word_similarity_threshold', :threshold, true) AS threshold,
       set_config('plan_cache_mode', 'force_generic_plan', true) AS plan_mode,
       -- parallel workers take ~10 ms to start: more than a search costs
       set_config('max_parallel_workers_per_gather', '0', true) AS workers;

-- name: catalog_search(q, q_end, joined, partial, prefix, tsquery, corrected, exact_titles, fuzzy, media_type, genre, year_from, year_to, rating_min, original_language, country, votes_min, row_limit, row_offset, max_age, collections)^
-- Candidates: the title prefix (btree) and the title words (full text): :corrected, the query's words
-- where each may be itself or a dictionary word one edit away (``search_tsquery``, migrations 0017 and
-- 0049, run by ``catalog_search_breadth``): "matrx" looks for matrx:* | matrix. Only a word that is no
-- dictionary word is corrected, and taken as a prefix (being typed: "knight ri"): a known word's
-- alternatives and prefix expansion would multiply the candidates and cost the most in the index, and
-- the title prefix still finds "the last" -> "The Last of Us". Only when all that finds nothing are whole
-- titles scanned by trigram word similarity (<%), the expensive path. Ranked: exact title > title prefix >
-- every word as typed > fuzzy (the original title counts as the title); within a tier, the best 200
-- (the titles the query spells, corrected or not, :exact_titles, first, then the best known)
-- by a rank in [0, 1) blending trigram similarity to the whole title (a title of the query's length
-- beats a longer one), the same with the spaces taken out (the trigrams across word joins make word order
-- count) and how well known the title is (popularity and votes, as ``media_items_fame_idx``); the rest
-- by how well known alone (similarity costs ~20 us a title: a common word's thousand took 20 ms). A query
-- with more candidates than search.BROAD_AT and no filters takes ``catalog_search_broad`` instead.
WITH literal AS (
    -- the range is what a generic plan can take to the pattern index; starts_with is the exact test (LIKE
    -- would also be taken to the trigram index, 10 ms of a long query's trigrams for nothing)
    SELECT id FROM media_items
    WHERE lower(title) ~>=~ :q AND lower(title) ~<~ :q_end AND starts_with(lower(title), :q)
    UNION
    SELECT id FROM media_items WHERE search_tsv @@ :corrected::tsquery
), candidates AS (
    SELECT id FROM literal
    UNION
    SELECT id FROM media_items WHERE :fuzzy AND NOT EXISTS (SELECT 1 FROM literal) AND :q <%% lower(title)
), scored AS (
    SELECT m.id, m.title, m.original_title, m.sort_title, m.search_tsv, m.original_language,
           search_tier(m.title, m.sort_title, m.original_title, m.search_tsv, :q, :prefix, :tsquery) AS tier,
           search_fame(m.popularity, m.vote_count) AS fame, lower(m.title) = ANY(:exact_titles::text[]) AS spelled
    FROM media_items m
    -- = ANY(ARRAY(...)) keeps this a primary-key lookup (a join invites a full scan)
    WHERE m.id = ANY(ARRAY(SELECT id FROM candidates))
      AND ((:media_type::text IS NULL AND m.media_type <> 'video') OR m.media_type = :media_type)
      AND (:genre::text IS NULL OR EXISTS (
            SELECT 1 FROM media_genres mg JOIN genres g ON g.id = mg.genre_id
            WHERE mg.media_id = m.id AND g.slug = :genre))
      AND (:year_from::int IS NULL OR m.year >= :year_from)
      AND (:year_to::int IS NULL OR m.year <= :year_to)
      AND (:rating_min::numeric IS NULL OR m.vote_average >= :rating_min)
      AND (:original_language::text IS NULL OR m.original_language = :original_language)
      AND (:country::text IS NULL OR m.origin_countries @> ARRAY[:country::text])
      AND (:votes_min::int IS NULL OR m.vote_count >= :votes_min)
      -- a kid profile: rated at most its max age, inside its allowed collections when it has any
      AND (:max_age::int IS NULL OR (m.min_age <= :max_age AND (cardinality(:collections::uuid[]) = 0
           OR EXISTS (SELECT 1 FROM collection_items ci
                      WHERE ci.media_id = m.id AND ci.collection_id = ANY(:collections::uuid[])))))
), listed AS (
    SELECT s.*, row_number() OVER (ORDER BY s.tier DESC, s.spelled DESC, s.fame DESC, s.id) <= 200 AS listed
    FROM scored s
), page AS (
    SELECT * FROM (
        SELECT l.*, 0.2 * l.fame / (l.fame + 20) + CASE WHEN NOT l.listed THEN 0 ELSE
                    search_closeness(l.title, l.sort_title, l.original_title, l.search_tsv, :q, :joined, :partial) END AS rank
        FROM listed l
    ) AS ranked
    ORDER BY tier DESC, listed DESC, rank DESC, id
    LIMIT :row_limit OFFSET :row_offset
)
SELECT (SELECT count(*) FROM scored) AS total, false AS total_at_least,
       -- the original languages of every match (not only the page), most titles first: the filter's choices
       coalesce((
           SELECT jsonb_agg(jsonb_build_object('language', l.language, 'count', l.titles)
                            ORDER BY l.titles DESC, l.language)
           FROM (SELECT original_language AS language, count(*) AS titles FROM scored
                 WHERE original_language IS NOT NULL GROUP BY original_language) AS l), '[]'::jsonb) AS languages,
       coalesce((
           SELECT jsonb_agg(search_hit(p.id, p.tier, p.rank) ORDER BY p.tier DESC, p.listed DESC, p.rank DESC, p.id)
           FROM page p), '[]'::jsonb) AS items;

-- name: catalog_search_breadth(q, q_end, words, cap)^
-- How many titles ``catalog_search`` would rank, counted only up to :cap + 1 (the first :cap + 1 found,
-- with a title found both ways counted twice: only whether there are more than :cap matters), and the
-- corrected full-text query. Past :cap the transaction's later statements are planned for their
-- values (``catalog_search_broad`` is handed that query as text: planned for "love", it reads the top of
-- the fame index; for a rare word, the few titles that have it), and with operators costed 20x the
-- default: else the planner, counting each fame-index entry as nearly free, would rather walk far down
-- that index than sort the thousand-odd matches a word's posting list gives (both settings are local to
-- the transaction).
WITH corrected AS (
    SELECT search_tsquery(:words::text[]) AS tsq
), counted AS (
    -- the prefix first, and each part limited: read in index order (the ORDER BY, in the index's byte-wise
    -- order, asks for it), "the" stops after :cap + 1 rows (a bitmap of its 400,000 took 30 ms), and then
    -- its words are not looked up at all
    SELECT count(*) AS found FROM (
        (SELECT 1 FROM media_items WHERE lower(title) ~>=~ :q AND lower(title) ~<~ :q_end
         ORDER BY lower(title) USING ~<~ LIMIT :cap + 1)
        UNION ALL
        (SELECT 1 FROM media_items WHERE search_tsv @@ (SELECT tsq FROM corrected) LIMIT :cap + 1)
        LIMIT :cap + 1
    ) AS s
)
SELECT c.found, (SELECT tsq::text FROM corrected) AS tsq,
       set_config('plan_cache_mode', CASE WHEN c.found > :cap THEN 'force_custom_plan'
                                          ELSE 'force_generic_plan' END, true) AS plan_mode,
       set_config('cpu_operator_cost', CASE WHEN c.found > :cap THEN '0.05' ELSE '0.0025' END, true) AS op_cost
FROM counted c;

-- name: catalog_search_broad(q, q_end, the_q, the_q_end, prefix, joined, partial, exact_titles, tsquery, corrected, media_type, want, row_limit, row_offset, cap)^
-- ``catalog_search`` for a query too common to rank every match of (a word in tens of thousands of
-- titles: "love", "the"), without filters but the media type. The exact titles (:exact_titles: the
-- query, its spelling corrections, each with and without a leading article) are all found by the title
-- index; of the titles that start
-- with the query (or with "the " and the query: :the_q, NULL when the query has its article) and of those
-- having its words, the :want best known of each: planned for the values (``catalog_search_breadth`` set
-- custom plans), the planner reads the top of ``media_items_fame_idx`` for a common word or prefix (a few
-- hundred rows, not every match) and the few matches of a rare one. Those few dozen are ranked as
-- ``catalog_search`` ranks: tier, then closeness to the query and how well known. The total is a lower
-- bound (:cap + 1) and the languages are not counted: both would cost a read of every match.
WITH hits AS (
    (SELECT id FROM media_items
     WHERE lower(title) = ANY(:exact_titles::text[])
       AND ((:media_type::text IS NULL AND media_type <> 'video') OR media_type = :media_type)
     ORDER BY search_fame(popularity, vote_count) DESC, id LIMIT :want)
    UNION
    -- the range alone is the prefix test (byte-wise, nothing past :q_end starts with :q): an exact
    -- test beside it would make the planner think the prefix rare and sort all of a common one's titles
    (SELECT id FROM media_items
     WHERE lower(title) ~>=~ :q AND lower(title) ~<~ :q_end
       AND ((:media_type::text IS NULL AND media_type <> 'video') OR media_type = :media_type)
     ORDER BY search_fame(popularity, vote_count) DESC, id LIMIT :want)
    UNION
    (SELECT id FROM media_items
     WHERE lower(title) ~>=~ :the_q AND lower(title) ~<~ :the_q_end
       AND ((:media_type::text IS NULL AND media_type <> 'video') OR media_type = :media_type)
     ORDER BY search_fame(popularity, vote_count) DESC, id LIMIT :want)
    UNION
    (SELECT id FROM media_items
     WHERE search_tsv @@ :corrected::tsquery
       AND ((:media_type::text IS NULL AND media_type <> 'video') OR media_type = :media_type)
     ORDER BY search_fame(popularity, vote_count) DESC, id LIMIT :want)
), page AS (
    SELECT m.id, search_tier(m.title, m.sort_title, m.original_title, m.search_tsv, :q, :prefix, :tsquery) AS tier,
           0.2 * search_fame(m.popularity, m.vote_count) / (search_fame(m.popularity, m.vote_count) + 20)
           + search_closeness(m.title, m.sort_title, m.original_title, m.search_tsv, :q, :joined, :partial) AS rank
    FROM media_items m
    WHERE m.id = ANY(ARRAY(SELECT id FROM hits))
    ORDER BY tier DESC, rank DESC, m.id
    LIMIT :row_limit OFFSET :row_offset
)
SELECT :cap + 1 AS total, true AS total_at_least, '[]'::jsonb AS languages,
       coalesce((
           SELECT jsonb_agg(search_hit(p.id, p.tier, p.rank) ORDER BY p.tier DESC, p.rank DESC, p.id)
           FROM page p), '[]'::jsonb) AS items;

-- name: catalog_search_people(q, prefix, fuzzy, people_limit, max_age)
-- People (at most :people_limit) whose name is the query, starts with it, or matches it by trigram word
-- similarity (<%, the search's threshold), ranked as titles are: exact > prefix > a whole word of the
-- name > fuzzy, then closeness and popularity; each with their three best-known titles.
WITH person_candidates AS (
    -- two scans the name's trigram index can answer (an OR with the :fuzzy switch inside would not be)
    SELECT id FROM people WHERE lower(name) LIKE :prefix
    UNION
    SELECT id FROM people WHERE :fuzzy AND :q <%% lower(name)
), person_page AS (
    SELECT p.id, p.name, p.profile_path, p.known_for_department,
           CASE WHEN lower(p.name) = :q THEN 4
                WHEN lower(p.name) LIKE :prefix THEN 3
                WHEN word_similarity(:q, lower(p.name)) = 1 THEN 2
                ELSE 1 END AS tier,
           0.2 * coalesce(p.popularity, 0) / (coalesce(p.popularity, 0) + 20)
           + 0.4 * similarity(:q, lower(p.name)) + 0.3999 * word_similarity(:q, lower(p.name)) AS rank
    FROM people p
    WHERE p.id = ANY(ARRAY(SELECT id FROM person_candidates))
    ORDER BY tier DESC, rank DESC, p.id
    LIMIT :people_limit
)
SELECT pp.id, pp.name, pp.profile_path, pp.known_for_department, pp.tier, pp.rank,
       ARRAY(SELECT m.title FROM media_items m
             WHERE m.id IN (SELECT c.media_id FROM media_credits c WHERE c.person_id = pp.id)
               AND (:max_age::int IS NULL OR m.min_age <= :max_age)
             ORDER BY m.popularity DESC NULLS LAST, m.vote_count DESC, m.id LIMIT 3) AS known_for
FROM person_page pp
ORDER BY pp.tier DESC, pp.rank DESC, pp.id;

-- name: catalog_suggest(q, q_end, joined, partial, prefix, tsquery, corrected, fuzzy, media_type, row_limit, max_age, collections)
-- The search ranking without filters, totals or genres: the type-ahead box (its candidates, a hundred
-- or so, all ranked by closeness: a common word's take ``catalog_search_broad``).
WITH literal AS (
    -- the range is what a generic plan can take to the pattern index; starts_with is the exact test (LIKE
    -- would also be taken to the trigram index, 10 ms of a long query's trigrams for nothing)
    SELECT id FROM media_items
    WHERE lower(title) ~>=~ :q AND lower(title) ~<~ :q_end AND starts_with(lower(title), :q)
    UNION
    SELECT id FROM media_items WHERE search_tsv @@ :corrected::tsquery
), candidates AS (
    SELECT id FROM literal
    UNION
    SELECT id FROM media_items WHERE :fuzzy AND NOT EXISTS (SELECT 1 FROM literal) AND :q <%% lower(title)
), ranked AS (
    SELECT m.id, m.media_type, m.title, m.year, m.poster_path,
           search_tier(m.title, m.sort_title, m.original_title, m.search_tsv, :q, :prefix, :tsquery) AS tier,
           0.2 * search_fame(m.popularity, m.vote_count) / (search_fame(m.popularity, m.vote_count) + 20)
           + CASE WHEN (SELECT count(*) FROM candidates) > 300 THEN 0
                  ELSE search_closeness(m.title, m.sort_title, m.original_title, m.search_tsv, :q, :joined, :partial) END AS rank
    FROM media_items m
    WHERE m.id = ANY(ARRAY(SELECT id FROM candidates))
      AND ((:media_type::text IS NULL AND m.media_type <> 'video') OR m.media_type = :media_type)
      -- a kid profile: rated at most its max age, inside its allowed collections when it has any
      AND (:max_age::int IS NULL OR (m.min_age <= :max_age AND (cardinality(:collections::uuid[]) = 0
           OR EXISTS (SELECT 1 FROM collection_items ci
                      WHERE ci.media_id = m.id AND ci.collection_id = ANY(:collections::uuid[])))))
)
SELECT id, media_type, title, year, poster_path FROM ranked ORDER BY tier DESC, rank DESC, id LIMIT :row_limit;

-- name: catalog_search_ilike(pattern, row_limit)
-- The naive reference the benchmark compares search against.
SELECT id, title FROM media_items WHERE title ILIKE :pattern ORDER BY popularity DESC NULLS LAST, id LIMIT :row_limit;

-- -------------------------------------------------------------------- details

-- name: catalog_get_media(media_id, media_type)^
SELECT * FROM media_items WHERE id = :media_id AND media_type = :media_type;

-- name: catalog_get_visible_media(media_id, media_type, max_age, collections)^
-- catalog_get_media for a caller who may have a kid profile's limit (NULL: none).
SELECT * FROM media_items m WHERE m.id = :media_id AND m.media_type = :media_type
  -- a kid profile: rated at most its max age, inside its allowed collections when it has any
  AND (:max_age::int IS NULL OR (m.min_age <= :max_age AND (cardinality(:collections::uuid[]) = 0
       OR EXISTS (SELECT 1 FROM collection_items ci
                  WHERE ci.media_id = m.id AND ci.collection_id = ANY(:collections::uuid[])))));

-- name: catalog_visible(media_id, max_age, collections)$
-- Whether a title of any type exists and a kid profile's limit (NULL: none) lets it be seen.
SELECT EXISTS (SELECT 1 FROM media_items m WHERE m.id = :media_id
  AND (:max_age::int IS NULL OR (m.min_age <= :max_age AND (cardinality(:collections::uuid[]) = 0
       OR EXISTS (SELECT 1 FROM collection_items ci
                  WHERE ci.media_id = m.id AND ci.collection_id = ANY(:collections::uuid[]))))));

-- name: catalog_claim_detail_fetch(media_id, cooldown_seconds)^
-- Only one request fetches missing details, and a failed fetch is not
-- retried until the cooldown has passed.
UPDATE media_items SET details_attempted_at = now()
WHERE id = :media_id AND details_fetched_at IS NULL
  AND (details_attempted_at IS NULL OR details_attempted_at < now() - make_interval(secs => :cooldown_seconds))
RETURNING id;

-- name: catalog_get_detail(media_id, media_type, cast_limit, crew_limit, max_age, collections)^
-- A title page in one statement: the stored row plus, as JSON, its genres, franchises, cast (billing
-- order), crew (directors, then writers, then the rest, each in list order), ratings from elsewhere and
-- seasons (shows only). "More like this" is similar_candidates (similar.sql, ranked in catalog/similar.py).
SELECT t.*,
    coalesce((SELECT jsonb_agg(jsonb_build_object('slug', g.slug, 'name', g.name) ORDER BY g.kind, g.name)
              FROM media_genres mg JOIN genres g ON g.id = mg.genre_id WHERE mg.media_id = t.id), '[]') AS genre_tags,
    -- The household's copies on its media servers (issue 36): enabled servers only.
    coalesce((SELECT jsonb_agg(jsonb_build_object('server_id', ms.id, 'server_name', ms.name, 'kind', ms.kind,
                                                  'item_id', si.item_id, 'open_url', si.open_url,
                                                  'playable', si.playable) ORDER BY lower(ms.name), si.item_id)
              FROM media_server_items si JOIN media_servers ms ON ms.id = si.server_id
              WHERE si.media_id = t.id AND si.kind IN ('movie', 'show') AND ms.enabled), '[]') AS owned,
    ARRAY(SELECT f.name FROM media_franchises mf JOIN franchises f ON f.id = mf.franchise_id
          WHERE mf.media_id = t.id ORDER BY mf.is_primary DESC, f.name) AS franchise_names,
    coalesce((SELECT jsonb_agg(jsonb_build_object('person_id', p.id, 'name', p.name, 'character', c.character,
                                                  'order', c.ordering, 'profile_path', p.profile_path)
                               ORDER BY c.ordering)
              FROM (SELECT person_id, character, ordering FROM media_credits
                    WHERE media_id = t.id AND kind = 'cast' ORDER BY ordering LIMIT :cast_limit) c
              JOIN people p ON p.id = c.person_id), '[]') AS cast_credits,
    coalesce((SELECT jsonb_agg(jsonb_build_object('person_id', c.person_id, 'name', c.name, 'job', c.job)
                               ORDER BY c.rank, c.ordering)
              FROM (SELECT cr.person_id, p.name, coalesce(cr.job, cr.department, 'Crew') AS job, cr.ordering,
                           CASE WHEN lower(cr.job) IN ('director', 'co-director') THEN 0
                                WHEN cr.department = 'Writing' OR lower(cr.job) IN (
                                    'writer', 'screenplay', 'story', 'novel', 'teleplay', 'author', 'characters')
                                    THEN 1
                                ELSE 2 END AS rank
                    FROM media_credits cr JOIN people p ON p.id = cr.person_id
                    WHERE cr.media_id = t.id AND cr.kind = 'crew'
                    ORDER BY rank, cr.ordering LIMIT :crew_limit) c), '[]') AS crew_credits,
    coalesce((SELECT jsonb_agg(jsonb_build_object('source', r.source, 'value', r.value, 'score', r.score,
                                                  'votes', r.votes)
                               ORDER BY array_position(ARRAY['imdb', 'rotten_tomatoes', 'metacritic'], r.source))
              FROM media_external_ratings r WHERE r.media_id = t.id), '[]') AS external_ratings,
    CASE WHEN t.media_type = 'show' THEN coalesce((
        SELECT jsonb_agg(jsonb_build_object('season_number', s.season_number, 'name', s.name,
                                            'air_date', s.air_date, 'episode_count', s.episode_count,
                                            'poster_path', s.poster_path)
                         ORDER BY s.season_number = 0, s.season_number)
        FROM seasons s WHERE s.media_id = t.id), '[]') END AS season_list
FROM media_items t
WHERE t.id = :media_id AND t.media_type = :media_type
  -- a kid profile: rated at most its max age, inside its allowed collections when it has any
  AND (:max_age::int IS NULL OR (t.min_age <= :max_age AND (cardinality(:collections::uuid[]) = 0
       OR EXISTS (SELECT 1 FROM collection_items ci
                  WHERE ci.media_id = t.id AND ci.collection_id = ANY(:collections::uuid[])))));

-- name: catalog_get_season(media_id, season_number)^
SELECT season_number, name, overview, air_date, poster_path, episode_count
FROM seasons WHERE media_id = :media_id AND season_number = :season_number;

-- name: catalog_list_episodes(media_id, season_number)
SELECT id, episode_number, name, overview, air_date, runtime_minutes, still_path
FROM episodes WHERE media_id = :media_id AND season_number = :season_number
ORDER BY episode_number;

-- name: catalog_owned_episodes(media_id, season_number)
-- The same for a season's episodes, by episode.
SELECT i.episode_id, s.id AS server_id, s.name AS server_name, s.kind, i.item_id, i.open_url, i.playable
FROM media_server_items i JOIN media_servers s ON s.id = i.server_id
WHERE i.media_id = :media_id AND i.kind = 'episode' AND i.season_number = :season_number
  AND i.episode_id IS NOT NULL AND s.enabled
ORDER BY lower(s.name), i.item_id;

-- name: catalog_game_platforms(media_id)
SELECT p.id, p.slug, p.name, p.abbreviation, mp.release_date, mp.release_precision
FROM media_platforms mp JOIN platforms p ON p.id = mp.platform_id
WHERE mp.media_id = :media_id
ORDER BY mp.release_date NULLS LAST, p.name;

-- name: catalog_related_summaries(media_id, relations, row_limit, max_age, collections)
-- Titles linked from this one (similar/recommended, or a game's add-ons), in list order.
SELECT m.id, m.media_type, m.title, m.original_title, m.year, m.release_date, m.poster_path, m.backdrop_path,
       m.vote_average, m.vote_count, m.popularity, m.status, m.is_demo, r.relation,
       ARRAY(SELECT g.name FROM media_genres mg JOIN genres g ON g.id = mg.genre_id
             WHERE mg.media_id = m.id ORDER BY g.kind, g.name) AS genres
FROM (SELECT DISTINCT ON (related_media_id) related_media_id, relation, position
      FROM media_relations WHERE media_id = :media_id AND relation = ANY(:relations::text[])
      ORDER BY related_media_id, array_position(:relations::text[], relation), position) r
JOIN media_items m ON m.id = r.related_media_id
WHERE true
  -- a kid profile: rated at most its max age, inside its allowed collections when it has any
  AND (:max_age::int IS NULL OR (m.min_age <= :max_age AND (cardinality(:collections::uuid[]) = 0
       OR EXISTS (SELECT 1 FROM collection_items ci
                  WHERE ci.media_id = m.id AND ci.collection_id = ANY(:collections::uuid[])))))
ORDER BY array_position(:relations::text[], r.relation), r.position, m.id
LIMIT :row_limit;

-- name: catalog_parent_summary(media_id, max_age, collections)^
-- The base game of a DLC or expansion.
SELECT m.id, m.media_type, m.title, m.original_title, m.year, m.release_date, m.poster_path, m.backdrop_path,
       m.vote_average, m.vote_count, m.popularity, m.status, m.is_demo, '{}'::text[] AS genres
FROM media_relations r JOIN media_items m ON m.id = r.media_id
WHERE r.related_media_id = :media_id AND r.relation IN ('dlc', 'expansion', 'standalone_expansion')
  -- a kid profile: rated at most its max age, inside its allowed collections when it has any
  AND (:max_age::int IS NULL OR (m.min_age <= :max_age AND (cardinality(:collections::uuid[]) = 0
       OR EXISTS (SELECT 1 FROM collection_items ci
                  WHERE ci.media_id = m.id AND ci.collection_id = ANY(:collections::uuid[])))))
ORDER BY r.source = 'igdb' DESC
LIMIT 1;
