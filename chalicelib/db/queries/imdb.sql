-- IMDb datasets import (chalicelib/imdb): staging tables filled with COPY, set-based upserts from them,
-- segment hashes, runs and file versions. Staging tables are TEMP ... ON COMMIT DROP: one batch each.

-- name: imdb_try_lock(key)$
SELECT pg_try_advisory_lock(:key);

-- name: imdb_unlock(key)$
SELECT pg_advisory_unlock(:key);

-- name: imdb_lock_free(key)$
-- Whether nobody holds the import lock (a probe: taken and released at once).
SELECT CASE WHEN pg_try_advisory_lock(:key) THEN pg_advisory_unlock(:key) ELSE false END;

-- name: imdb_fail_stale_runs()!
-- Called under the import lock: a run still marked running belongs to a process that died.
UPDATE imdb_runs SET status = 'failed', finished_at = now(),
       error = coalesce(error, 'interrupted: the import process ended before finishing')
WHERE status = 'running';

-- name: imdb_start_run(trigger, requested_by)<!
INSERT INTO imdb_runs (trigger, requested_by) VALUES (:trigger, :requested_by)
RETURNING id;

-- name: imdb_run_progress(current_file, rows_done, files, id)!
UPDATE imdb_runs SET current_file = :current_file, rows_done = :rows_done, files = :files
WHERE id = :id;

-- name: imdb_finish_run(status, error, files, id)!
UPDATE imdb_runs SET status = :status, error = :error, files = :files, current_file = NULL, finished_at = now()
WHERE id = :id;

-- name: imdb_recent_runs(limit)
SELECT id, status, trigger, requested_by, started_at, finished_at, current_file, rows_done, files, error
FROM imdb_runs ORDER BY id DESC LIMIT :limit;

-- name: imdb_file_versions()
SELECT name, sha256, run_id, imported_at FROM imdb_files ORDER BY name;

-- name: imdb_set_file_version(name, sha256, run_id)!
INSERT INTO imdb_files (name, sha256, run_id) VALUES (:name, :sha256, :run_id)
ON CONFLICT (name) DO UPDATE SET sha256 = excluded.sha256, run_id = excluded.run_id, imported_at = now();

-- name: imdb_stored_segments(file, segments)
SELECT segment, hash FROM imdb_segments WHERE file = :file AND segment = ANY(CAST(:segments AS bigint[]));

-- name: imdb_stored_segment_range(file, low, high)
SELECT segment, hash FROM imdb_segments WHERE file = :file AND segment BETWEEN :low AND :high;

-- name: imdb_stored_keys(file, segments)
SELECT segment, keys, key_hashes FROM imdb_segments WHERE file = :file AND segment = ANY(CAST(:segments AS bigint[]));

-- name: imdb_stage_segments()#
CREATE TEMP TABLE imdb_stage_segments (segment bigint, hash bigint, keys bigint[], key_hashes bigint[])
ON COMMIT DROP;

-- name: imdb_copy_segments()#
COPY imdb_stage_segments FROM STDIN;

-- name: imdb_store_segments(file)!
INSERT INTO imdb_segments (file, segment, hash, keys, key_hashes)
SELECT DISTINCT ON (segment) :file, segment, hash, keys, key_hashes FROM imdb_stage_segments ORDER BY segment
ON CONFLICT (file, segment) DO UPDATE
SET hash = excluded.hash, keys = excluded.keys, key_hashes = excluded.key_hashes;

-- name: imdb_genres(slugs)
-- Genre rows an IMDb genre can map to: TMDB's by slug first, else IMDb's own.
SELECT DISTINCT ON (slug) slug, id FROM genres
WHERE kind = 'genre' AND source IN ('tmdb', 'imdb') AND slug = ANY(:slugs)
ORDER BY slug, source = 'tmdb' DESC;

-- name: imdb_ensure_genre(name, slug)!
INSERT INTO genres (source, kind, external_id, name, slug, media_types)
SELECT 'imdb', 'genre', NULL, :name, :slug, ARRAY['movie', 'show']
WHERE NOT EXISTS (SELECT 1 FROM genres WHERE kind = 'genre' AND source = 'tmdb' AND slug = :slug)
ON CONFLICT DO NOTHING;

-- name: imdb_tune_batch()#
-- Settings of one batch's transaction (SET LOCAL: nothing outlives it on a shared connection). JIT
-- compiles each batch's big statements anew (~0.1 s each); a lost commit is redone by the next run, as its
-- segment hashes went with it; the hashes and sorts of 100k-row batches fit in memory.
SET LOCAL jit = off;
SET LOCAL synchronous_commit = off;
SET LOCAL work_mem = '64MB';

-- name: imdb_stale_stats(tables)
-- Of these tables, those changed by more than a tenth since their last ANALYZE (autovacuum's rule).
SELECT s.relname AS name
FROM pg_stat_user_tables s JOIN pg_class c ON c.oid = s.relid
WHERE s.schemaname = current_schema() AND s.relname = ANY(:tables)
  AND s.n_mod_since_analyze > 1000 + 0.1 * greatest(c.reltuples, 0);

-- ---------------------------------------------------------------- title.basics

-- name: imdb_stage_titles()#
CREATE TEMP TABLE imdb_stage_titles (
    tconst text, kind text, title text, original_title text, start_year int, end_year int, runtime int,
    genre_ids bigint[]
) ON COMMIT DROP;

-- name: imdb_copy_titles()#
COPY imdb_stage_titles FROM STDIN;

-- name: imdb_resolve_titles()#
ANALYZE imdb_stage_titles;
CREATE TEMP TABLE imdb_title_ids ON COMMIT DROP AS
SELECT s.tconst, m.id AS media_id, (m.tmdb_id IS NULL AND NOT m.is_demo) AS owned, false AS fresh
FROM imdb_stage_titles s JOIN media_items m ON m.imdb_id = s.tconst
WHERE s.kind IN ('movie', 'show');

-- name: imdb_insert_titles()!
-- Titles IMDb knows first: IMDb-owned (no TMDB id) from here on.
WITH ins AS (
    INSERT INTO media_items (media_type, imdb_id, title, original_title, release_date, runtime_minutes, status,
                             vote_average, vote_count)
    SELECT s.kind, s.tconst, s.title, s.original_title, make_date(s.start_year, 1, 1), s.runtime,
           CASE WHEN s.kind = 'show' AND s.end_year IS NOT NULL THEN 'ended'
                WHEN s.kind = 'movie' AND s.start_year <= extract(year FROM now()) THEN 'released' END,
           r.rating, coalesce(r.votes, 0)
    FROM imdb_stage_titles s LEFT JOIN imdb_ratings r ON r.tconst = s.tconst
    WHERE s.kind IN ('movie', 'show') AND NOT EXISTS (SELECT 1 FROM imdb_title_ids i WHERE i.tconst = s.tconst)
    ON CONFLICT DO NOTHING
    RETURNING id, imdb_id
)
INSERT INTO imdb_title_ids (tconst, media_id, owned, fresh) SELECT imdb_id, id, true, true FROM ins;

-- name: imdb_analyze_title_ids()#
ANALYZE imdb_title_ids;

-- name: imdb_update_owned_titles()!
-- IMDb-owned titles take IMDb's values; a stored date in the same year (a better one) stays.
UPDATE media_items m
SET title = n.title, original_title = n.original_title, runtime_minutes = n.runtime, status = n.status,
    release_date = CASE WHEN m.year::int IS NOT DISTINCT FROM n.start_year THEN m.release_date
                        ELSE make_date(n.start_year, 1, 1) END,
    updated_at = now()
FROM (
    SELECT i.media_id, s.title, s.original_title, s.runtime, s.start_year,
           CASE WHEN s.kind = 'show' AND s.end_year IS NOT NULL THEN 'ended'
                WHEN s.kind = 'movie' AND s.start_year <= extract(year FROM now()) THEN 'released' END AS status
    FROM imdb_title_ids i JOIN imdb_stage_titles s ON s.tconst = i.tconst
    WHERE i.owned AND NOT i.fresh
) n
WHERE m.id = n.media_id
  AND (m.title, m.original_title, m.year::int, m.runtime_minutes, m.status)
      IS DISTINCT FROM (n.title, n.original_title, n.start_year, n.runtime, n.status);

-- name: imdb_fill_tmdb_titles()!
-- TMDB-owned titles (richer data) only gain what they lack.
UPDATE media_items m
SET original_title = coalesce(m.original_title, s.original_title),
    release_date = coalesce(m.release_date, make_date(s.start_year, 1, 1)),
    runtime_minutes = coalesce(m.runtime_minutes, s.runtime),
    status = coalesce(m.status, CASE WHEN s.kind = 'show' AND s.end_year IS NOT NULL THEN 'ended' END),
    updated_at = now()
FROM imdb_title_ids i JOIN imdb_stage_titles s ON s.tconst = i.tconst
WHERE m.id = i.media_id AND NOT i.owned
  AND ((m.original_title IS NULL AND s.original_title IS NOT NULL)
       OR (m.release_date IS NULL AND s.start_year IS NOT NULL)
       OR (m.runtime_minutes IS NULL AND s.runtime IS NOT NULL)
       OR (m.status IS NULL AND s.kind = 'show' AND s.end_year IS NOT NULL));

-- name: imdb_genres_of_new_titles()!
INSERT INTO media_genres (media_id, genre_id)
SELECT i.media_id, g.genre_id
FROM imdb_title_ids i JOIN imdb_stage_titles s ON s.tconst = i.tconst
CROSS JOIN LATERAL unnest(s.genre_ids) AS g (genre_id)
WHERE i.fresh
ON CONFLICT DO NOTHING;

-- name: imdb_apply_title_genres()$
-- Stored titles: IMDb-owned ones get exactly IMDb's genres; TMDB-owned ones only when they have none.
-- Returns how many titles changed genres.
WITH want AS (
    SELECT i.media_id, g.genre_id, i.owned
    FROM imdb_title_ids i JOIN imdb_stage_titles s ON s.tconst = i.tconst
    CROSS JOIN LATERAL unnest(s.genre_ids) AS g (genre_id)
    WHERE NOT i.fresh
), removed AS (
    DELETE FROM media_genres mg USING imdb_title_ids i
    WHERE mg.media_id = i.media_id AND i.owned AND NOT i.fresh
      AND (mg.media_id, mg.genre_id) NOT IN (SELECT media_id, genre_id FROM want)
    RETURNING mg.media_id
), added AS (
    INSERT INTO media_genres (media_id, genre_id)
    SELECT w.media_id, w.genre_id FROM want w
    WHERE w.owned OR NOT EXISTS (SELECT 1 FROM media_genres e WHERE e.media_id = w.media_id)
    ON CONFLICT DO NOTHING
    RETURNING media_id
)
SELECT count(DISTINCT media_id) FROM (SELECT media_id FROM removed UNION ALL SELECT media_id FROM added) t;

-- name: imdb_rate_new_titles()!
-- Titles linked or created in this batch get the rating title.ratings gave them.
INSERT INTO media_external_ratings AS x (media_id, source, value, score, votes)
SELECT i.media_id, 'imdb', to_char(r.rating, 'FM990.0') || '/10', r.rating * 10, r.votes
FROM imdb_title_ids i JOIN imdb_ratings r ON r.tconst = i.tconst
WHERE i.fresh
ON CONFLICT (media_id, source) DO NOTHING;

-- name: imdb_forget_title_segments()!
-- Newly imported titles: the principals segments holding them (skipped before as unknown) are read again.
DELETE FROM imdb_segments s
WHERE s.file = 'title.principals'
  AND s.segment IN (SELECT (SELECT max(o.segment) FROM imdb_segments o
                            WHERE o.file = 'title.principals' AND o.segment <= substr(i.tconst, 3)::bigint)
                    FROM imdb_title_ids i WHERE i.fresh);

-- name: imdb_apply_episode_info()^
-- Episode rows of title.basics: kept for title.episode, and applied to episodes already linked.
WITH up AS (
    INSERT INTO imdb_episode_info AS i (tconst, name, year, runtime)
    SELECT tconst, title, start_year, runtime FROM imdb_stage_titles WHERE kind = 'episode'
    ON CONFLICT (tconst) DO UPDATE SET name = excluded.name, year = excluded.year, runtime = excluded.runtime
    WHERE (i.name, i.year, i.runtime) IS DISTINCT FROM (excluded.name, excluded.year, excluded.runtime)
    RETURNING i.tconst, i.name, i.year, i.runtime, (xmax = 0) AS inserted
), forget AS (
    -- the title.episode segments holding new episodes (skipped before as unknown) are read again
    DELETE FROM imdb_segments s
    WHERE s.file = 'title.episode'
      AND s.segment IN (SELECT (SELECT max(o.segment) FROM imdb_segments o
                                WHERE o.file = 'title.episode' AND o.segment <= substr(up.tconst, 3)::bigint)
                        FROM up WHERE up.inserted)
), linked AS (
    UPDATE episodes e
    SET name = CASE WHEN e.tmdb_id IS NULL THEN up.name ELSE coalesce(e.name, up.name) END,
        air_date = CASE WHEN e.tmdb_id IS NULL AND extract(year FROM e.air_date)::int IS DISTINCT FROM up.year
                        THEN make_date(up.year, 1, 1) ELSE coalesce(e.air_date, make_date(up.year, 1, 1)) END,
        runtime_minutes = CASE WHEN e.tmdb_id IS NULL THEN up.runtime
                               ELSE coalesce(e.runtime_minutes, up.runtime) END,
        updated_at = now()
    FROM up WHERE e.imdb_id = up.tconst
    RETURNING 1
)
SELECT count(*) FILTER (WHERE inserted) AS inserted, count(*) FILTER (WHERE NOT inserted) AS updated,
       (SELECT count(*) FROM linked) AS episodes
FROM up;

-- ---------------------------------------------------------------- title.episode

-- name: imdb_stage_episodes()#
CREATE TEMP TABLE imdb_stage_episodes (tconst text, parent text, season int, episode int) ON COMMIT DROP;

-- name: imdb_copy_episodes()#
COPY imdb_stage_episodes FROM STDIN;

-- name: imdb_resolve_episodes()$
-- Episodes under a known show, with their title.basics details; returns how many.
ANALYZE imdb_stage_episodes;
CREATE TEMP TABLE imdb_episode_rows ON COMMIT DROP AS
SELECT DISTINCT ON (s.tconst) s.tconst, p.id AS media_id, s.season, s.episode, i.name, i.year, i.runtime,
       e.id AS episode_id
FROM imdb_stage_episodes s
JOIN media_items p ON p.imdb_id = s.parent AND p.media_type = 'show'
LEFT JOIN imdb_episode_info i ON i.tconst = s.tconst
LEFT JOIN episodes e ON e.imdb_id = s.tconst;
ANALYZE imdb_episode_rows;
INSERT INTO seasons (media_id, season_number)
SELECT DISTINCT media_id, season FROM imdb_episode_rows ON CONFLICT DO NOTHING;
SELECT count(*) FROM imdb_episode_rows;

-- name: imdb_link_episodes()!
-- Episodes TMDB stored under the same numbers: the same episode, now linked by its IMDb id.
UPDATE episodes e
SET imdb_id = r.tconst, name = coalesce(e.name, r.name), runtime_minutes = coalesce(e.runtime_minutes, r.runtime),
    air_date = coalesce(e.air_date, make_date(r.year, 1, 1)), updated_at = now()
FROM imdb_episode_rows r
WHERE r.episode_id IS NULL AND e.media_id = r.media_id AND e.season_number = r.season
  AND e.episode_number = r.episode AND e.imdb_id IS NULL;

-- name: imdb_update_episodes()!
-- Episodes the import created follow IMDb (numbers too, unless another episode holds them).
UPDATE episodes e
SET name = r.name, runtime_minutes = r.runtime,
    air_date = CASE WHEN extract(year FROM e.air_date)::int IS NOT DISTINCT FROM r.year THEN e.air_date
                    ELSE make_date(r.year, 1, 1) END,
    season_id = s.id, season_number = r.season, episode_number = r.episode, updated_at = now()
FROM imdb_episode_rows r JOIN seasons s ON s.media_id = r.media_id AND s.season_number = r.season
WHERE e.id = r.episode_id AND e.tmdb_id IS NULL
  AND (e.name, e.runtime_minutes, extract(year FROM e.air_date)::int, e.season_number, e.episode_number)
      IS DISTINCT FROM (r.name, r.runtime, r.year, r.season, r.episode)
  AND ((e.season_number, e.episode_number) = (r.season, r.episode)
       OR NOT EXISTS (SELECT 1 FROM episodes o WHERE o.media_id = r.media_id AND o.season_number = r.season
                                                 AND o.episode_number = r.episode));

-- name: imdb_insert_episodes()!
INSERT INTO episodes (media_id, season_id, season_number, episode_number, imdb_id, name, air_date, runtime_minutes)
SELECT r.media_id, s.id, r.season, r.episode, r.tconst, r.name, make_date(r.year, 1, 1), r.runtime
FROM imdb_episode_rows r JOIN seasons s ON s.media_id = r.media_id AND s.season_number = r.season
WHERE r.episode_id IS NULL AND NOT EXISTS (SELECT 1 FROM episodes e WHERE e.imdb_id = r.tconst)
ON CONFLICT DO NOTHING;

-- ---------------------------------------------------------------- title.ratings

-- name: imdb_stage_ratings()#
CREATE TEMP TABLE imdb_stage_ratings (tconst text, rating numeric(3,1), votes int) ON COMMIT DROP;

-- name: imdb_copy_ratings()#
COPY imdb_stage_ratings FROM STDIN;

-- name: imdb_apply_ratings()^
-- The stash takes changed ratings; titles already in the catalog get them now (IMDb-owned ones also as
-- their vote average), titles imported later when inserted.
WITH stash AS (
    INSERT INTO imdb_ratings AS r (tconst, rating, votes)
    SELECT tconst, rating, votes FROM imdb_stage_ratings
    ON CONFLICT (tconst) DO UPDATE SET rating = excluded.rating, votes = excluded.votes
    WHERE (r.rating, r.votes) IS DISTINCT FROM (excluded.rating, excluded.votes)
    RETURNING r.tconst, r.rating, r.votes
), src AS (
    SELECT m.id AS media_id, (m.tmdb_id IS NULL AND NOT m.is_demo) AS owned, s.rating, s.votes
    FROM stash s JOIN media_items m ON m.imdb_id = s.tconst
), ext AS (
    INSERT INTO media_external_ratings AS r (media_id, source, value, score, votes)
    SELECT media_id, 'imdb', to_char(rating, 'FM990.0') || '/10', rating * 10, votes FROM src
    ON CONFLICT (media_id, source) DO UPDATE
    SET value = excluded.value, score = excluded.score, votes = excluded.votes, updated_at = now()
    WHERE (r.value, r.score, r.votes) IS DISTINCT FROM (excluded.value, excluded.score, excluded.votes)
    RETURNING (xmax = 0) AS inserted
), own AS (
    UPDATE media_items m SET vote_average = src.rating, vote_count = src.votes, updated_at = now()
    FROM src
    WHERE m.id = src.media_id AND src.owned
      AND (m.vote_average, m.vote_count) IS DISTINCT FROM (src.rating, src.votes)
    RETURNING 1
)
SELECT (SELECT count(*) FROM stash) AS changed, (SELECT count(*) FROM src) AS matched,
       (SELECT count(*) FROM ext WHERE inserted) AS inserted,
       (SELECT count(*) FROM ext WHERE NOT inserted) AS updated,
       (SELECT count(*) FROM own) AS votes_updated;

-- ---------------------------------------------------------------- name.basics

-- name: imdb_stage_people()#
CREATE TEMP TABLE imdb_stage_people (
    nconst text, name text, birth_year smallint, death_year smallint, professions text[], known_for text
) ON COMMIT DROP;

-- name: imdb_copy_people()#
COPY imdb_stage_people FROM STDIN;

-- name: imdb_apply_people()^
-- People IMDb knows first are IMDb's; a TMDB person (tmdb_id) keeps its name and only fills gaps.
WITH up AS (
    INSERT INTO people AS p (imdb_id, name, birth_year, death_year, professions, known_for_department)
    SELECT nconst, name, birth_year, death_year, professions, known_for FROM imdb_stage_people
    ON CONFLICT (imdb_id) WHERE imdb_id IS NOT NULL DO UPDATE
    SET name = CASE WHEN p.tmdb_id IS NULL THEN excluded.name ELSE p.name END,
        birth_year = CASE WHEN p.tmdb_id IS NULL THEN excluded.birth_year
                          ELSE coalesce(p.birth_year, excluded.birth_year) END,
        death_year = CASE WHEN p.tmdb_id IS NULL THEN excluded.death_year
                          ELSE coalesce(p.death_year, excluded.death_year) END,
        professions = excluded.professions,
        known_for_department = CASE WHEN p.tmdb_id IS NULL THEN excluded.known_for_department
                                    ELSE coalesce(p.known_for_department, excluded.known_for_department) END,
        updated_at = now()
    WHERE (p.tmdb_id IS NULL AND (p.name, p.birth_year, p.death_year, p.professions, p.known_for_department)
                IS DISTINCT FROM (excluded.name, excluded.birth_year, excluded.death_year, excluded.professions,
                                  excluded.known_for_department))
       OR (p.tmdb_id IS NOT NULL AND (p.professions IS DISTINCT FROM excluded.professions
                                      OR (p.birth_year IS NULL AND excluded.birth_year IS NOT NULL)
                                      OR (p.death_year IS NULL AND excluded.death_year IS NOT NULL)
                                      OR (p.known_for_department IS NULL AND excluded.known_for_department IS NOT NULL)))
    RETURNING (xmax = 0) AS inserted
)
SELECT count(*) FILTER (WHERE inserted) AS inserted, count(*) FILTER (WHERE NOT inserted) AS updated FROM up;

-- ---------------------------------------------------------------- title.principals

-- name: imdb_stage_credits()#
CREATE TEMP TABLE imdb_stage_credits (
    tconst text, ordering int, nconst text, kind text, character text, job text, department text
) ON COMMIT DROP;

-- name: imdb_copy_credits()#
COPY imdb_stage_credits FROM STDIN;

-- name: imdb_resolve_credits()$
-- Principals of known titles and people, on titles without TMDB credits; returns how many. Titles are
-- resolved first (a batch holds a few thousand), so only their rows look up people. A (title, kind,
-- ordering) given twice keeps one row.
ANALYZE imdb_stage_credits;
CREATE TEMP TABLE imdb_credit_rows ON COMMIT DROP AS
WITH titles AS MATERIALIZED (
    -- a probe per title (OFFSET 0 keeps it one): a merge join would read the index up to the batch
    SELECT m.id AS media_id, s.tconst
    FROM (SELECT DISTINCT tconst FROM imdb_stage_credits) s
    CROSS JOIN LATERAL (SELECT id FROM media_items WHERE imdb_id = s.tconst OFFSET 0) m
    WHERE NOT EXISTS (SELECT 1 FROM media_credits c WHERE c.media_id = m.id AND c.source = 'tmdb')
)
SELECT DISTINCT ON (t.media_id, s.kind, s.ordering)
       t.media_id, s.kind, s.ordering, p.id AS person_id, s.character, s.job, s.department
FROM titles t
JOIN imdb_stage_credits s ON s.tconst = t.tconst
JOIN people p ON p.imdb_id = s.nconst
ORDER BY t.media_id, s.kind, s.ordering;
ANALYZE imdb_credit_rows;
SELECT count(*) FROM imdb_credit_rows;

-- name: imdb_changed_credits()^
-- Titles whose IMDb credits differ from what is stored, as a set; those are replaced. Signatures are
-- only built for titles that have stored credits: a fresh title (every one on a first import) just changes.
CREATE TEMP TABLE imdb_credit_changes ON COMMIT DROP AS
WITH titles AS (
    SELECT media_id, count(*) AS n FROM imdb_credit_rows GROUP BY media_id
), old AS MATERIALIZED (
    -- per title through the primary key, never a scan of every credit
    SELECT t.media_id, s.sig
    FROM titles t
    CROSS JOIN LATERAL (
        SELECT array_agg(row(c.kind, c.ordering, c.person_id, c.character, c.job, c.department)::text
                         ORDER BY c.kind, c.ordering) AS sig
        FROM media_credits c WHERE c.media_id = t.media_id AND c.source = 'imdb'
    ) s
    WHERE s.sig IS NOT NULL
), new AS (
    SELECT media_id,
           array_agg(row(kind, ordering, person_id, character, job, department)::text ORDER BY kind, ordering) AS sig
    FROM imdb_credit_rows WHERE media_id IN (SELECT media_id FROM old) GROUP BY media_id
)
SELECT t.media_id, t.n, old.media_id IS NULL AS fresh
FROM titles t LEFT JOIN old USING (media_id) LEFT JOIN new USING (media_id)
WHERE old.media_id IS NULL OR old.sig IS DISTINCT FROM new.sig;
ANALYZE imdb_credit_changes;
SELECT coalesce(sum(n) FILTER (WHERE fresh), 0) AS inserted, coalesce(sum(n) FILTER (WHERE NOT fresh), 0) AS updated
FROM imdb_credit_changes;

-- name: imdb_replace_credits()#
-- Inserted in person order: the people foreign key check then locks people in heap order.
DELETE FROM media_credits c USING imdb_credit_changes x
WHERE c.media_id = x.media_id AND c.source = 'imdb' AND NOT x.fresh;
INSERT INTO media_credits (media_id, kind, ordering, person_id, character, job, department, source)
SELECT r.media_id, r.kind, r.ordering, r.person_id, r.character, r.job, r.department, 'imdb'
FROM imdb_credit_rows r JOIN imdb_credit_changes x USING (media_id)
ORDER BY r.person_id
ON CONFLICT DO NOTHING;
