-- Lists as collections (issue 38): the source row of an imported collection, its syncs, and the items a
-- sync writes. Every user-facing read and write names the owner.

-- name: lists_counts(user_id)^
SELECT count(*) AS total, count(*) FILTER (WHERE status IN ('queued', 'syncing')) AS active
FROM collection_sources WHERE user_id = :user_id;

-- name: lists_collection_create(user_id, base)^
-- The first of "base", "base (2)", "base (3)" … the user has no collection named (any case), listed last.
INSERT INTO collections (user_id, name, position)
SELECT :user_id, n.name, (SELECT coalesce(max(position), 0) + 1 FROM collections WHERE user_id = :user_id)
FROM (SELECT CASE WHEN i = 1 THEN :base::text ELSE :base::text || ' (' || i || ')' END AS name, i
      FROM generate_series(1, 1000) AS i) n
WHERE NOT EXISTS (SELECT 1 FROM collections c WHERE c.user_id = :user_id AND lower(c.name) = lower(n.name))
ORDER BY n.i
LIMIT 1
RETURNING id, name;

-- name: lists_source_create(collection_id, user_id, kind, url)^
INSERT INTO collection_sources (collection_id, user_id, kind, url)
VALUES (:collection_id, :user_id, :kind, :url)
RETURNING collection_id, request_id;

-- name: lists_source_create_file(collection_id, user_id, kind, url, filename)^
-- An uploaded export: url is the list's when the file names it (null: a one-off import).
INSERT INTO collection_sources (collection_id, user_id, kind, url, filename)
VALUES (:collection_id, :user_id, :kind, :url, :filename)
RETURNING collection_id, request_id;

-- name: lists_file_store(collection_id, title, entries)!
INSERT INTO collection_source_files (collection_id, title, entries)
VALUES (:collection_id, :title, :entries::jsonb);

-- name: lists_file_get(collection_id)^
SELECT title, entries FROM collection_source_files WHERE collection_id = :collection_id;

-- name: lists_file_delete(collection_id)!
DELETE FROM collection_source_files WHERE collection_id = :collection_id;

-- name: lists_source_get(user_id, collection_id)^
SELECT collection_id, user_id, kind, url, status, request_id, titled, requested_at, started_at, synced_at
FROM collection_sources WHERE collection_id = :collection_id AND user_id = :user_id;

-- name: lists_source_request(user_id, collection_id, stale_seconds)^
-- A new sync request unless one is waiting or running (one stuck longer than stale_seconds is replaced).
UPDATE collection_sources
SET status = 'queued', request_id = gen_random_uuid(), requested_at = now(), started_at = NULL
WHERE collection_id = :collection_id AND user_id = :user_id
  AND (status IN ('synced', 'failed')
       OR (status = 'queued' AND requested_at < now() - make_interval(secs => :stale_seconds))
       OR (status = 'syncing' AND started_at < now() - make_interval(secs => :stale_seconds)))
RETURNING collection_id, request_id;

-- name: lists_source_claim(collection_id, request_id, stale_seconds)^
-- The consumer takes the request it was sent (a redelivery of a finished one finds nothing to take).
UPDATE collection_sources
SET status = 'syncing', started_at = now()
WHERE collection_id = :collection_id AND request_id = :request_id
  AND (status = 'queued' OR (status = 'syncing' AND started_at < now() - make_interval(secs => :stale_seconds)))
RETURNING collection_id, user_id, kind, url, titled;

-- name: lists_source_fail(collection_id, request_id, error_code, error)!
UPDATE collection_sources
SET status = 'failed', error_code = :error_code, error = left(:error, 1000)
WHERE collection_id = :collection_id AND request_id = :request_id AND status = 'syncing';

-- name: lists_source_unsend(collection_id, request_id, error_code, error)!
-- The request's message could not be sent: the request ends as failed (asking again is the user's to do).
UPDATE collection_sources
SET status = 'failed', error_code = :error_code, error = left(:error, 1000)
WHERE collection_id = :collection_id AND request_id = :request_id AND status = 'queued';

-- name: lists_collection_forget(user_id, collection_id)!
-- A new import whose message could not be sent: the collection goes (its source and file with it).
DELETE FROM collections WHERE id = :collection_id AND user_id = :user_id;

-- name: lists_source_done(collection_id, request_id, entries, unmatched, unmatched_titles)!
UPDATE collection_sources
SET status = 'synced', synced_at = now(), titled = true, entries = :entries, unmatched = :unmatched,
    unmatched_titles = :unmatched_titles::jsonb, error_code = NULL, error = NULL
WHERE collection_id = :collection_id AND request_id = :request_id AND status = 'syncing';

-- name: lists_collection_lock(user_id, collection_id)^
SELECT id, name FROM collections WHERE id = :collection_id AND user_id = :user_id FOR UPDATE;

-- name: lists_collection_rename(user_id, collection_id, base)!
-- Named from the list: the first of "base", "base (2)" … no other collection of the user has.
UPDATE collections c SET name = n.name, updated_at = now()
FROM (SELECT CASE WHEN i = 1 THEN :base::text ELSE :base::text || ' (' || i || ')' END AS name
      FROM generate_series(1, 1000) AS i
      WHERE NOT EXISTS (SELECT 1 FROM collections o
                        WHERE o.user_id = :user_id AND o.id <> :collection_id
                          AND lower(o.name) = lower(CASE WHEN i = 1 THEN :base::text ELSE :base::text || ' (' || i || ')' END))
      ORDER BY i LIMIT 1) n
WHERE c.id = :collection_id AND c.user_id = :user_id;

-- name: lists_items_replace(collection_id, media_ids)!
-- The collection's items become exactly media_ids, in that order (notes of the items that stay are kept).
WITH wanted AS (
    SELECT t.media_id, t.ord::integer AS position
    FROM unnest(:media_ids::bigint[]) WITH ORDINALITY AS t (media_id, ord)
), gone AS (
    DELETE FROM collection_items i
    WHERE i.collection_id = :collection_id AND NOT (i.media_id = ANY (:media_ids::bigint[]))
)
INSERT INTO collection_items AS i (collection_id, media_id, position)
SELECT :collection_id, w.media_id, w.position FROM wanted w
ON CONFLICT (collection_id, media_id) DO UPDATE
SET position = excluded.position, updated_at = now()
WHERE i.position IS DISTINCT FROM excluded.position;

-- name: lists_collection_touch(collection_id)!
UPDATE collections SET updated_at = now() WHERE id = :collection_id;

-- name: lists_resolve(entries)
-- Each entry's title in the catalog: IMDb id, then TMDB id (with its type), then (only for an entry without
-- ids) the exact title with the year within one, nearest year and most popular first. Games never match.
SELECT e.n, coalesce(by_imdb.id, by_tmdb.id, by_title.id) AS media_id
FROM jsonb_to_recordset(:entries::jsonb) AS e (n integer, media_type text, imdb_id text, tmdb_id bigint,
                                               title text, year integer)
LEFT JOIN LATERAL (
    SELECT m.id FROM media_items m
    WHERE e.imdb_id IS NOT NULL AND m.imdb_id = e.imdb_id AND m.media_type <> 'game'
      AND (e.media_type IS NULL OR m.media_type = e.media_type)
    ORDER BY m.id LIMIT 1
) by_imdb ON true
LEFT JOIN LATERAL (
    SELECT m.id FROM media_items m
    WHERE e.tmdb_id IS NOT NULL AND m.tmdb_id = e.tmdb_id AND m.media_type = coalesce(e.media_type, 'movie')
    ORDER BY m.id LIMIT 1
) by_tmdb ON true
LEFT JOIN LATERAL (
    SELECT m.id FROM media_items m
    WHERE e.imdb_id IS NULL AND e.tmdb_id IS NULL AND e.title IS NOT NULL AND lower(m.title) = lower(e.title)
      AND m.media_type <> 'game' AND (e.media_type IS NULL OR m.media_type = e.media_type)
      AND (e.year IS NULL OR m.year BETWEEN e.year - 1 AND e.year + 1)
    ORDER BY abs(coalesce(m.year - e.year, 0)), m.popularity DESC NULLS LAST, m.id
    LIMIT 1
) by_title ON true
ORDER BY e.n;

-- name: lists_film_ids(slugs)
SELECT slug, media_type, tmdb_id, imdb_id FROM list_film_ids WHERE slug = ANY (:slugs::text[]);

-- name: lists_film_ids_store(items)!
INSERT INTO list_film_ids (slug, media_type, tmdb_id, imdb_id)
SELECT slug, media_type, tmdb_id, imdb_id
FROM jsonb_to_recordset(:items::jsonb) AS t (slug text, media_type text, tmdb_id bigint, imdb_id text)
ON CONFLICT (slug) DO UPDATE
SET media_type = excluded.media_type, tmdb_id = excluded.tmdb_id, imdb_id = excluded.imdb_id, fetched_at = now();

-- name: lists_due(every_seconds, stale_seconds, size)
-- Imported collections whose last sync is older than every_seconds (none waiting or running), oldest first,
-- one per user per run: a user with many lists cannot crowd out the others. A one-off import from a file (no
-- URL) has nothing to re-read: only its first sync, when lost, is asked again.
SELECT collection_id, user_id FROM (
    SELECT DISTINCT ON (user_id) collection_id, user_id, requested_at
    FROM collection_sources
    WHERE (url IS NOT NULL AND status IN ('synced', 'failed') AND requested_at < now() - make_interval(secs => :every_seconds))
       OR (status IN ('queued', 'syncing')
           AND coalesce(started_at, requested_at) < now() - make_interval(secs => :stale_seconds))
    ORDER BY user_id, requested_at, collection_id
) due
ORDER BY requested_at, collection_id
LIMIT :size;
