-- History imports: the uploads, their parsed rows, matching to the catalog and applying.

-- ------------------------------------------------------------------ imports

-- name: imports_create(import_id, user_id, format, filename, object_key, size_bytes)^
INSERT INTO imports (id, user_id, format, filename, object_key, size_bytes)
VALUES (:import_id, :user_id, :format, :filename, :object_key, :size_bytes)
RETURNING *;

-- name: imports_get(user_id, import_id)^
SELECT * FROM imports WHERE id = :import_id AND user_id = :user_id;

-- name: imports_get_any(import_id)^
-- The background jobs: the message names the import, the owner comes from the row.
SELECT * FROM imports WHERE id = :import_id;

-- name: imports_list(user_id, limit, offset)
SELECT * FROM imports WHERE user_id = :user_id ORDER BY created_at DESC, id DESC LIMIT :limit OFFSET :offset;

-- name: imports_count(user_id)$
SELECT count(*) FROM imports WHERE user_id = :user_id;

-- name: imports_fail(import_id, error)!
UPDATE imports SET status = 'failed', error = :error, rows_read = 0, updated_at = now()
WHERE id = :import_id AND status IN ('parsing', 'applying');

-- name: imports_start_apply(user_id, import_id)^
-- Only a previewed import starts applying: a second request finds it applying or applied.
UPDATE imports SET status = 'applying', done = 0, applied_through = 0, updated_at = now()
WHERE id = :import_id AND user_id = :user_id AND status = 'preview'
RETURNING *;

-- name: imports_finish_apply(import_id)!
UPDATE imports SET status = 'applied', applied_at = now(), updated_at = now()
WHERE id = :import_id AND status = 'applying';

-- name: imports_add_done(import_id, rows, last_row)!
UPDATE imports SET done = done + :rows, applied_through = :last_row, updated_at = now() WHERE id = :import_id;

-- name: imports_finish_parse(import_id, from_status)^
-- The preview: how many rows, matched, unmatched, and how many matched rows would change something.
-- Only from the status the caller holds (``parsing`` at the end of a parse, ``preview`` after a fix):
-- an import that started applying meanwhile is never put back to ``preview``.
UPDATE imports i SET status = 'preview', parsed_at = coalesce(parsed_at, now()), updated_at = now(),
       rows_total = c.rows_total, matched = c.matched, unmatched = c.unmatched, to_add = c.to_add
FROM (
    SELECT count(*) AS rows_total,
           count(*) FILTER (WHERE r.status = 'matched') AS matched,
           count(*) FILTER (WHERE r.status = 'unmatched') AS unmatched,
           (SELECT count(*) FROM (
                SELECT DISTINCT r2.kind, r2.media_id, r2.episode_id, r2.event_at, r2.rating
                FROM import_rows r2 JOIN imports i2 ON i2.id = r2.import_id
                WHERE r2.import_id = :import_id AND r2.status = 'matched' AND CASE r2.kind
                    WHEN 'watched' THEN NOT EXISTS (
                        SELECT 1 FROM user_watched w
                        WHERE w.user_id = i2.user_id AND w.media_id = r2.media_id
                          AND w.episode_id IS NOT DISTINCT FROM r2.episode_id
                          AND (r2.event_at IS NULL OR w.watched_at = r2.event_at))
                    WHEN 'rating' THEN NOT EXISTS (
                        SELECT 1 FROM user_ratings u
                        WHERE u.user_id = i2.user_id AND u.media_id = r2.media_id AND u.rating = r2.rating)
                    WHEN 'watchlist' THEN NOT EXISTS (
                        SELECT 1 FROM user_watch_later u WHERE u.user_id = i2.user_id AND u.media_id = r2.media_id)
                    ELSE NOT EXISTS (
                        SELECT 1 FROM user_favorites u WHERE u.user_id = i2.user_id AND u.media_id = r2.media_id)
                END
           ) changes) AS to_add
    FROM import_rows r WHERE r.import_id = :import_id
) c
WHERE i.id = :import_id AND i.status = :from_status
RETURNING i.id;

-- name: imports_reset_rows(import_id)!
-- A failed parse keeps no rows.
DELETE FROM import_rows WHERE import_id = :import_id;

-- name: imports_lock_parsing(import_id)^
-- A batch of a parse holds the import while it stores rows and moves the cursor: a second delivery of
-- the same message finds the cursor moved and stops (exactly-once rows).
SELECT * FROM imports WHERE id = :import_id AND status = 'parsing' FOR UPDATE;

-- name: imports_lock_owned(user_id, import_id)^
-- Fixing a row holds the import, so an apply cannot start between the check and the preview update.
SELECT * FROM imports WHERE id = :import_id AND user_id = :user_id FOR UPDATE;

-- name: imports_save_cursor(import_id, rows_read, skipped, skipped_rows)!
UPDATE imports SET rows_read = :rows_read, skipped = :skipped, skipped_rows = :skipped_rows::jsonb,
                   updated_at = now()
WHERE id = :import_id AND status = 'parsing';

-- name: imports_finish_read(import_id)!
UPDATE imports SET read_at = now(), updated_at = now() WHERE id = :import_id AND status = 'parsing';

-- name: imports_lock_user(user_id)$
-- Serializes one user's import creations until commit (two uploads at once cannot both pass the check).
SELECT pg_advisory_xact_lock(hashtextextended(:user_id::text, 33)) IS NOT NULL;

-- name: imports_active_count(user_id)$
-- Imports of a user still parsing or applying (recently touched: one stuck for an hour blocks nothing).
SELECT count(*) FROM imports
WHERE user_id = :user_id AND status IN ('parsing', 'applying') AND updated_at > now() - interval '1 hour';

-- ------------------------------------------------------------------ uploads

-- name: imports_create_upload(upload_id, user_id, format, filename, object_key, max_bytes, ttl_seconds)^
INSERT INTO import_uploads (id, user_id, format, filename, object_key, max_bytes, expires_at)
VALUES (:upload_id, :user_id, :format, :filename, :object_key, :max_bytes,
        now() + make_interval(secs => :ttl_seconds))
RETURNING *;

-- name: imports_claim_upload(upload_id, user_id)^
-- An upload is used once, by its owner, before it expires; anything else is not found.
UPDATE import_uploads SET used_at = now()
WHERE id = :upload_id AND user_id = :user_id AND used_at IS NULL AND expires_at > now()
RETURNING *;

-- name: imports_insert_rows(import_id, rows)!
-- One batch of parsed rows, passed as a JSON array of objects named like the columns.
INSERT INTO import_rows (import_id, row_no, kind, media_type, title, year, imdb_id, tmdb_id, igdb_id,
                         season_number, episode_number, episode_imdb_id, media_hint, event_at, rating)
SELECT :import_id, r.row_no, r.kind, r.media_type, r.title, r.year, r.imdb_id, r.tmdb_id, r.igdb_id,
       r.season_number, r.episode_number, r.episode_imdb_id, r.media_hint, r.event_at, r.rating
FROM jsonb_to_recordset(:rows::jsonb) AS r(
    row_no integer, kind text, media_type text, title text, year smallint, imdb_id text, tmdb_id bigint,
    igdb_id bigint, season_number integer, episode_number integer, episode_imdb_id text, media_hint bigint,
    event_at timestamptz, rating numeric);

-- ------------------------------------------------------------------ rows

-- name: imports_unmatched(import_id, limit)
SELECT row_no, title, year, season_number, episode_number, reason
FROM import_rows WHERE import_id = :import_id AND status = 'unmatched'
ORDER BY row_no LIMIT :limit;

-- name: imports_row(import_id, row_no)^
SELECT * FROM import_rows WHERE import_id = :import_id AND row_no = :row_no;

-- name: imports_fix_row(import_id, row_no, media_id, episode_id)!
UPDATE import_rows SET media_id = :media_id, episode_id = :episode_id, status = 'matched', reason = NULL
WHERE import_id = :import_id AND row_no = :row_no;

-- name: imports_media(media_id)^
SELECT id, media_type FROM media_items WHERE id = :media_id;

-- name: imports_episode(media_id, season_number, episode_number)$
SELECT id FROM episodes
WHERE media_id = :media_id AND season_number = :season_number AND episode_number = :episode_number;

-- ------------------------------------------------------------------ matching
-- Each step only looks at rows still without a title, so the first that finds one wins:
-- episode IMDb id, IMDb id, TMDB id, IGDB id, the exporting instance's id, exact title and year,
-- then a trigram match. Titles are matched once per distinct (type, title, year), not once per row,
-- and the rows join their key's hit on plain equality (coalesced keys): ``IS NOT DISTINCT FROM`` cannot
-- be hashed, and that join compared every row with every key (quadratic: 25k rows took minutes).

-- name: imports_match_episode_imdb(import_id)!
UPDATE import_rows r SET media_id = e.media_id, episode_id = e.id
FROM episodes e
WHERE r.import_id = :import_id AND r.media_id IS NULL AND r.episode_imdb_id IS NOT NULL
  AND e.imdb_id = r.episode_imdb_id;

-- name: imports_match_imdb(import_id)!
UPDATE import_rows r SET media_id = m.id
FROM media_items m
WHERE r.import_id = :import_id AND r.media_id IS NULL AND r.imdb_id IS NOT NULL AND m.imdb_id = r.imdb_id
  AND (r.media_type IS NULL OR m.media_type = r.media_type);

-- name: imports_match_tmdb(import_id)!
UPDATE import_rows r SET media_id = m.id
FROM media_items m
WHERE r.import_id = :import_id AND r.media_id IS NULL AND r.tmdb_id IS NOT NULL
  AND m.media_type = r.media_type AND m.tmdb_id = r.tmdb_id;

-- name: imports_match_igdb(import_id)!
UPDATE import_rows r SET media_id = m.id
FROM media_items m
WHERE r.import_id = :import_id AND r.media_id IS NULL AND r.igdb_id IS NOT NULL
  AND m.media_type = 'game' AND m.igdb_id = r.igdb_id;

-- name: imports_match_hint(import_id)!
-- /seen/'s own export names its titles by id: trusted when type and title agree (same instance).
UPDATE import_rows r SET media_id = m.id
FROM media_items m
WHERE r.import_id = :import_id AND r.media_id IS NULL AND r.media_hint IS NOT NULL AND m.id = r.media_hint
  AND m.media_type = r.media_type AND lower(m.title) = lower(r.title);

-- name: imports_match_title(import_id)!
-- Exact lower(title) with the year within one (release dates differ by country), nearest year first.
WITH keys AS (
    SELECT DISTINCT media_type, lower(title) AS title, year
    FROM import_rows
    WHERE import_id = :import_id AND media_id IS NULL AND title IS NOT NULL AND episode_imdb_id IS NULL
),
hits AS (
    SELECT coalesce(k.media_type, '') AS type_key, k.title, coalesce(k.year, 0) AS year_key, best.id
    FROM keys k
    CROSS JOIN LATERAL (
        SELECT m.id FROM media_items m
        WHERE lower(m.title) = k.title
          AND (k.media_type IS NULL OR m.media_type = k.media_type)
          AND (k.year IS NULL OR m.year BETWEEN k.year - 1 AND k.year + 1)
        ORDER BY abs(coalesce(m.year - k.year, 0)), m.popularity DESC NULLS LAST, m.id
        LIMIT 1
    ) best
)
UPDATE import_rows r SET media_id = hits.id
FROM hits
WHERE r.import_id = :import_id AND r.media_id IS NULL AND r.episode_imdb_id IS NULL
  AND coalesce(r.media_type, '') = hits.type_key AND lower(r.title) = hits.title
  AND coalesce(r.year, 0) = hits.year_key;

-- name: imports_trigram_threshold()^
-- For the rest of the transaction: the trigram operator (and so the GIN index) tests similarity >= 0.8.
SELECT set_config('pg_trgm.similarity_threshold', '0.8', true) AS threshold;

-- name: imports_match_trigram(import_id, size)!
-- Typo-tolerant: trigram similarity of at least 0.8 (the GIN index on lower(title) answers the trigram test),
-- for up to ``size`` keys per call (one GIN lookup each, so a call's time is bounded): rows of a key
-- without a hit are settled as unmatched here, so the next call takes the next keys. 0 rows: done.
WITH keys AS (
    SELECT DISTINCT coalesce(media_type, '') AS type_key, media_type, lower(title) AS title,
                    coalesce(year, 0) AS year_key, year
    FROM import_rows
    WHERE import_id = :import_id AND status = 'pending' AND media_id IS NULL AND title IS NOT NULL
      AND episode_imdb_id IS NULL
    LIMIT :size
),
hits AS (
    SELECT k.type_key, k.title, k.year_key, best.id
    FROM keys k
    LEFT JOIN LATERAL (
        SELECT m.id FROM media_items m
        WHERE lower(m.title) %% k.title AND similarity(lower(m.title), k.title) >= 0.8
          AND (k.media_type IS NULL OR m.media_type = k.media_type)
          AND (k.year IS NULL OR m.year BETWEEN k.year - 1 AND k.year + 1)
        ORDER BY similarity(lower(m.title), k.title) DESC, abs(coalesce(m.year - k.year, 0)),
                 m.popularity DESC NULLS LAST, m.id
        LIMIT 1
    ) best ON true
)
UPDATE import_rows r SET media_id = hits.id,
    status = CASE WHEN hits.id IS NULL THEN 'unmatched' ELSE r.status END,
    reason = CASE WHEN hits.id IS NULL THEN 'no matching title in the catalog' ELSE r.reason END
FROM hits
WHERE r.import_id = :import_id AND r.status = 'pending' AND r.media_id IS NULL AND r.episode_imdb_id IS NULL
  AND coalesce(r.media_type, '') = hits.type_key AND lower(r.title) = hits.title
  AND coalesce(r.year, 0) = hits.year_key;

-- name: imports_analyze_rows()#
-- Fresh statistics after a bulk insert: without them the planner expects one row per import and joins
-- the matching steps' keys to the rows with nested loops (quadratic). Run outside the match transaction
-- (ANALYZE's lock would serialize other imports' matching until commit).
ANALYZE import_rows;

-- name: imports_match_episodes(import_id)!
UPDATE import_rows r SET episode_id = e.id
FROM episodes e
WHERE r.import_id = :import_id AND r.media_id IS NOT NULL AND r.episode_id IS NULL
  AND r.season_number IS NOT NULL AND r.episode_number IS NOT NULL
  AND e.media_id = r.media_id AND e.season_number = r.season_number AND e.episode_number = r.episode_number;

-- name: imports_match_settle(import_id)!
-- Matched: a title (and, for an episode's watch, the episode; a watch of a movie needs no episode).
UPDATE import_rows r SET
    status = CASE WHEN v.reason IS NULL THEN 'matched' ELSE 'unmatched' END,
    reason = v.reason
FROM import_rows r0
LEFT JOIN media_items m ON m.id = r0.media_id
CROSS JOIN LATERAL (SELECT CASE
    WHEN r0.media_id IS NULL THEN 'no matching title in the catalog'
    WHEN r0.season_number IS NOT NULL AND r0.episode_id IS NULL THEN
        format('no episode S%%sE%%s of this show in the catalog', r0.season_number, r0.episode_number)
    WHEN r0.kind = 'watched' AND m.media_type = 'game' THEN 'a game cannot be watched'
    WHEN r0.kind = 'watched' AND m.media_type = 'show' AND r0.episode_id IS NULL THEN
        'a watch of a show needs an episode'
    WHEN r0.kind = 'watched' AND m.media_type = 'movie' AND r0.episode_id IS NOT NULL THEN
        'a movie has no episodes'
    END AS reason) v
WHERE r.import_id = :import_id AND r0.import_id = r.import_id AND r0.row_no = r.row_no AND r.status = 'pending';

-- ------------------------------------------------------------------ apply
-- One batch is the matched, not yet applied rows of an import in [first_row, last_row].

-- name: imports_next_batch(import_id, after, size)^
-- From the apply cursor on (rows before it are applied): the index is walked, never rescanned from the start.
SELECT min(row_no) AS first_row, max(row_no) AS last_row, count(*) AS rows
FROM (
    SELECT row_no FROM import_rows
    WHERE import_id = :import_id AND status = 'matched' AND row_no > :after AND applied_at IS NULL
    ORDER BY row_no LIMIT :size
) batch;

-- name: imports_apply_watched(import_id, user_id, first_row, last_row)!
-- A watch is keyed by (user, title, episode, watched_at): one already there is not added again. A watch
-- without a date is added (at the time of applying) only when the title or episode has no watch yet.
INSERT INTO user_watched (user_id, media_id, episode_id, watched_at, source)
SELECT DISTINCT ON (r.media_id, r.episode_id, r.event_at)
       :user_id, r.media_id, r.episode_id, coalesce(r.event_at, now()), 'import'
FROM import_rows r
WHERE r.import_id = :import_id AND r.row_no BETWEEN :first_row AND :last_row
  AND r.status = 'matched' AND r.applied_at IS NULL AND r.kind = 'watched'
  AND NOT EXISTS (
      SELECT 1 FROM user_watched w
      WHERE w.user_id = :user_id AND w.media_id = r.media_id AND w.episode_id IS NOT DISTINCT FROM r.episode_id
        AND (r.event_at IS NULL OR w.watched_at = r.event_at))
ORDER BY r.media_id, r.episode_id, r.event_at, r.row_no;

-- name: imports_apply_ratings(import_id, user_id, first_row, last_row)!
-- The file's latest rating of a title wins; an unchanged rating is not rewritten.
INSERT INTO user_ratings AS u (user_id, media_id, rating, created_at, updated_at)
SELECT DISTINCT ON (r.media_id) :user_id, r.media_id, r.rating, coalesce(r.event_at, now()), now()
FROM import_rows r
WHERE r.import_id = :import_id AND r.row_no BETWEEN :first_row AND :last_row
  AND r.status = 'matched' AND r.applied_at IS NULL AND r.kind = 'rating' AND r.rating IS NOT NULL
ORDER BY r.media_id, r.event_at DESC NULLS LAST, r.row_no DESC
ON CONFLICT (user_id, media_id) DO UPDATE SET rating = excluded.rating, updated_at = now()
WHERE u.rating IS DISTINCT FROM excluded.rating;

-- name: imports_apply_watch_later(import_id, user_id, first_row, last_row)!
INSERT INTO user_watch_later (user_id, media_id, created_at, updated_at)
SELECT DISTINCT ON (r.media_id) :user_id, r.media_id, coalesce(r.event_at, now()), now()
FROM import_rows r
WHERE r.import_id = :import_id AND r.row_no BETWEEN :first_row AND :last_row
  AND r.status = 'matched' AND r.applied_at IS NULL AND r.kind = 'watchlist'
ORDER BY r.media_id, r.row_no
ON CONFLICT (user_id, media_id) DO NOTHING;

-- name: imports_apply_favorites(import_id, user_id, first_row, last_row)!
INSERT INTO user_favorites (user_id, media_id, created_at, updated_at)
SELECT DISTINCT ON (r.media_id) :user_id, r.media_id, coalesce(r.event_at, now()), now()
FROM import_rows r
WHERE r.import_id = :import_id AND r.row_no BETWEEN :first_row AND :last_row
  AND r.status = 'matched' AND r.applied_at IS NULL AND r.kind = 'favorite'
ORDER BY r.media_id, r.row_no
ON CONFLICT (user_id, media_id) DO NOTHING;

-- name: imports_mark_applied(import_id, first_row, last_row)!
UPDATE import_rows SET applied_at = now()
WHERE import_id = :import_id AND row_no BETWEEN :first_row AND :last_row
  AND status = 'matched' AND applied_at IS NULL;

-- name: imports_lock_applying(import_id)^
-- Batches of one import run one at a time, even when its message is delivered twice.
SELECT id, user_id, applied_through FROM imports WHERE id = :import_id AND status = 'applying' FOR UPDATE;
