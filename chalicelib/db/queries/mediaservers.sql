-- Media servers (issue 36): the servers an admin added, their syncs, and what each holds (mirrored items).
-- Server rows carry the encrypted token; the service decrypts it only to call the server.

-- name: ms_server_list()
SELECT s.id, s.kind, s.name, s.url, s.key_id, s.allow_private, s.enabled, s.remote_id, s.remote_name,
       s.remote_version, s.created_at, s.updated_at, s.token_ciphertext
FROM media_servers s ORDER BY lower(s.name);

-- name: ms_server_get(id)^
SELECT id, kind, name, url, key_id, allow_private, enabled, remote_id, remote_name, remote_version, created_at,
       updated_at, token_ciphertext
FROM media_servers WHERE id = :id;

-- name: ms_server_insert(kind, name, url, token_ciphertext, key_id, allow_private, enabled)^
INSERT INTO media_servers (kind, name, url, token_ciphertext, key_id, allow_private, enabled)
VALUES (:kind, :name, :url, :token_ciphertext, :key_id, :allow_private, :enabled)
ON CONFLICT DO NOTHING
RETURNING id, kind, name, url, key_id, allow_private, enabled, remote_id, remote_name, remote_version,
          created_at, updated_at, token_ciphertext;

-- name: ms_server_update(id, name, url, token_ciphertext, key_id, allow_private, enabled, url_changed)^
-- The service merges the patch with the row, so every column is written. A new URL forgets who the server
-- said it was: another address may be another server.
UPDATE media_servers SET name = :name, url = :url, token_ciphertext = :token_ciphertext, key_id = :key_id,
    allow_private = :allow_private, enabled = :enabled,
    remote_id = CASE WHEN :url_changed THEN NULL ELSE remote_id END,
    remote_name = CASE WHEN :url_changed THEN NULL ELSE remote_name END,
    remote_version = CASE WHEN :url_changed THEN NULL ELSE remote_version END,
    updated_at = now()
WHERE id = :id
RETURNING id, kind, name, url, key_id, allow_private, enabled, remote_id, remote_name, remote_version,
          created_at, updated_at, token_ciphertext;

-- name: ms_server_set_remote(id, remote_id, remote_name, remote_version)^
UPDATE media_servers SET remote_id = :remote_id, remote_name = :remote_name, remote_version = :remote_version
WHERE id = :id
RETURNING id, kind, name, url, key_id, allow_private, enabled, remote_id, remote_name, remote_version,
          created_at, updated_at, token_ciphertext;

-- name: ms_server_delete(id)^
DELETE FROM media_servers WHERE id = :id RETURNING id;

-- name: ms_servers_due(every_seconds)
-- Enabled servers with no sync waiting or running whose last finished sync is older than the period.
SELECT s.id FROM media_servers s
WHERE s.enabled
  AND NOT EXISTS (SELECT 1 FROM media_server_syncs y WHERE y.server_id = s.id AND y.status IN ('queued', 'running'))
  AND coalesce((SELECT max(y.requested_at) FROM media_server_syncs y WHERE y.server_id = s.id), '-infinity')
      < now() - make_interval(secs => :every_seconds)
ORDER BY s.id;

-- name: ms_sync_interrupt(server_id, stale_seconds)!
-- A sync still "running" long after any run could have ended was interrupted (its process died); one still
-- "queued" that long never had its message sent (the process died between the commit and the send).
UPDATE media_server_syncs SET status = 'failed', finished_at = now(), error = 'interrupted'
WHERE server_id = :server_id
  AND ((status = 'running' AND started_at < now() - make_interval(secs => :stale_seconds))
       OR (status = 'queued' AND requested_at < now() - make_interval(secs => :stale_seconds)));

-- name: ms_sync_withdraw(id)!
-- A queued sync whose message could not be sent.
DELETE FROM media_server_syncs WHERE id = :id AND status = 'queued';

-- name: ms_sync_request(server_id, trigger)^
-- None while another sync of the server is waiting or running (the partial unique index).
INSERT INTO media_server_syncs (server_id, trigger) VALUES (:server_id, :trigger)
ON CONFLICT DO NOTHING
RETURNING id, server_id, status, trigger, requested_at, started_at, finished_at, added, updated, pruned,
          unmatched, failed, error;

-- name: ms_sync_active(server_id)^
SELECT id, server_id, status, trigger, requested_at, started_at, finished_at, added, updated, pruned, unmatched,
       failed, error
FROM media_server_syncs WHERE server_id = :server_id AND status IN ('queued', 'running');

-- name: ms_sync_last(server_id)^
SELECT id, server_id, status, trigger, requested_at, started_at, finished_at, added, updated, pruned, unmatched,
       failed, error
FROM media_server_syncs WHERE server_id = :server_id ORDER BY requested_at DESC, id LIMIT 1;

-- name: ms_sync_start(id, stale_seconds)^
-- Queued -> running; a redelivered message for a run that died long ago starts it again. None: nothing to do
-- (finished, or running in another process right now).
UPDATE media_server_syncs SET status = 'running', started_at = now()
WHERE id = :id AND (status = 'queued'
                    OR (status = 'running' AND started_at < now() - make_interval(secs => :stale_seconds)))
RETURNING id, server_id, status, trigger, requested_at, started_at, finished_at, added, updated, pruned,
          unmatched, failed, error;

-- name: ms_sync_finish(id, status, added, updated, pruned, unmatched, failed, error)!
UPDATE media_server_syncs SET status = :status, finished_at = now(), added = :added, updated = :updated,
    pruned = :pruned, unmatched = :unmatched, failed = :failed, error = :error
WHERE id = :id;

-- name: ms_item_states(server_id)
-- What a sync compares against, read once for the whole server: each stored item's fingerprint and source
-- tag, whether it is linked to the catalog (an unlinked item is read and matched again on every sync, so a
-- title added to the catalog later is found), and a show's title (its unchanged episodes' parent).
SELECT item_id, fingerprint, source_tag,
       CASE WHEN kind = 'episode' THEN episode_id IS NOT NULL ELSE media_id IS NOT NULL END AS linked,
       CASE WHEN kind = 'show' THEN media_id END AS show_media_id
FROM media_server_items WHERE server_id = :server_id;

-- name: ms_items_relink_children(server_id, shows)$
-- The seasons and episodes of shows that now match another catalog title (or none), when the children
-- themselves did not change: moved to that title and its episode of the same number, their tags dropped so
-- the next sync reads them again if no episode has that number yet. ``shows``: [{item_id, media_id}].
WITH moved AS (
    UPDATE media_server_items i SET media_id = s.media_id,
        episode_id = CASE WHEN i.kind = 'episode' THEN (
            SELECT e.id FROM episodes e WHERE e.media_id = s.media_id AND e.season_number = i.season_number
                                          AND e.episode_number = i.episode_number) END,
        source_tag = NULL, updated_at = now()
    FROM jsonb_to_recordset(:shows::jsonb) AS s(item_id text, media_id bigint)
    WHERE i.server_id = :server_id AND i.parent_item_id = s.item_id AND i.media_id IS DISTINCT FROM s.media_id
    RETURNING 1
)
SELECT count(*) FROM moved;

-- name: ms_items_upsert(server_id, sync_id, items)!
INSERT INTO media_server_items (server_id, item_id, kind, parent_item_id, title, year, season_number,
                                episode_number, provider_ids, facts, playable, open_url, media_id, episode_id,
                                fingerprint, source_tag, last_sync_id)
SELECT :server_id, i.item_id, i.kind, i.parent_item_id, i.title, i.year, i.season_number, i.episode_number,
       coalesce(i.provider_ids, '{}'), coalesce(i.facts, '{}'), i.playable, i.open_url, i.media_id, i.episode_id,
       i.fingerprint, i.source_tag, :sync_id
FROM jsonb_to_recordset(:items::jsonb) AS i(item_id text, kind text, parent_item_id text, title text, year integer,
                                            season_number integer, episode_number integer, provider_ids jsonb,
                                            facts jsonb, playable boolean, open_url text, media_id bigint,
                                            episode_id bigint, fingerprint text, source_tag text)
ON CONFLICT (server_id, item_id) DO UPDATE SET
    kind = excluded.kind, parent_item_id = excluded.parent_item_id, title = excluded.title, year = excluded.year,
    season_number = excluded.season_number, episode_number = excluded.episode_number,
    provider_ids = excluded.provider_ids, facts = excluded.facts, playable = excluded.playable,
    open_url = excluded.open_url, media_id = excluded.media_id, episode_id = excluded.episode_id,
    fingerprint = excluded.fingerprint, source_tag = excluded.source_tag, last_sync_id = excluded.last_sync_id,
    updated_at = now();

-- name: ms_items_insert(server_id, sync_id, items)!
-- Rows new to the mirror (a first sync: all of them): a plain insert, without ``ms_items_upsert``'s conflict
-- check on every row. Only the running sync of the server writes its items, and it sends here only ids it has
-- not stored (nor written earlier in this sync).
INSERT INTO media_server_items (server_id, item_id, kind, parent_item_id, title, year, season_number,
                                episode_number, provider_ids, facts, playable, open_url, media_id, episode_id,
                                fingerprint, source_tag, last_sync_id)
SELECT :server_id, i.item_id, i.kind, i.parent_item_id, i.title, i.year, i.season_number, i.episode_number,
       coalesce(i.provider_ids, '{}'), coalesce(i.facts, '{}'), i.playable, i.open_url, i.media_id, i.episode_id,
       i.fingerprint, i.source_tag, :sync_id
FROM jsonb_to_recordset(:items::jsonb) AS i(item_id text, kind text, parent_item_id text, title text, year integer,
                                            season_number integer, episode_number integer, provider_ids jsonb,
                                            facts jsonb, playable boolean, open_url text, media_id bigint,
                                            episode_id bigint, fingerprint text, source_tag text);

-- name: ms_items_prune(server_id, seen_ids)$
-- What the server no longer reports: every item of the server this sync did not list (an anti-join on the
-- listed ids, so an unchanged item is never rewritten just to say it was seen). The ids come as one JSON array:
-- psycopg builds a text[] parameter in Python, which took a tenth of a 20k-item sync's CPU.
WITH seen AS (SELECT jsonb_array_elements_text(CAST(:seen_ids AS jsonb)) AS item_id),
gone AS (
    DELETE FROM media_server_items i
    WHERE i.server_id = :server_id AND NOT EXISTS (SELECT 1 FROM seen s WHERE s.item_id = i.item_id)
    RETURNING 1
)
SELECT count(*) FROM gone;

-- name: ms_match_ids(media_types, tmdb_ids, imdb_ids, tvdb_ids)
-- Catalog titles carrying any of the ids (the service picks, per item, tmdb over imdb over tvdb). One join per
-- scheme, never "= ANY(array)" ORed: a sync matches chunk after chunk while its own new titles grow the table
-- within its transaction, where the planner's row counts are stale, and three ORed arrays then cost a scan of
-- the table times the array per row; a join stays a hash or an index lookup.
SELECT m.id, m.media_type, m.tmdb_id, m.imdb_id, m.tvdb_id
FROM media_items m JOIN unnest(CAST(:tmdb_ids AS bigint[])) AS t(id) ON m.tmdb_id = t.id
WHERE m.media_type = ANY(:media_types)
UNION
SELECT m.id, m.media_type, m.tmdb_id, m.imdb_id, m.tvdb_id
FROM media_items m JOIN unnest(CAST(:imdb_ids AS text[])) AS t(id) ON m.imdb_id = t.id
WHERE m.media_type = ANY(:media_types)
UNION
SELECT m.id, m.media_type, m.tmdb_id, m.imdb_id, m.tvdb_id
FROM media_items m JOIN unnest(CAST(:tvdb_ids AS bigint[])) AS t(id) ON m.tvdb_id = t.id
WHERE m.media_type = ANY(:media_types);

-- name: ms_match_titles(items)
-- Catalog titles by type, title (case-insensitive) and year: the fallback for items without known ids.
SELECT DISTINCT ON (i.media_type, lower(i.title), i.year) m.id, i.media_type, lower(i.title) AS title, i.year
FROM jsonb_to_recordset(:items::jsonb) AS i(media_type text, title text, year integer)
JOIN media_items m ON m.media_type = i.media_type AND lower(m.title) = lower(i.title) AND m.year = i.year
ORDER BY i.media_type, lower(i.title), i.year, m.popularity DESC NULLS LAST, m.id;

-- name: ms_match_episodes(items)
SELECT e.id, e.media_id, e.season_number, e.episode_number
FROM jsonb_to_recordset(:items::jsonb) AS i(media_id bigint, season_number integer, episode_number integer)
JOIN episodes e ON e.media_id = i.media_id AND e.season_number = i.season_number
               AND e.episode_number = i.episode_number;

-- name: ms_sync_fill_start(id, stale_seconds)^
-- The catalog fill of a completed sync, claimed. None: filled, being filled elsewhere right now, or left to the
-- fill of a sync asked for since (it finds the same unlinked rows). A fill whose process died is taken up again
-- once stale.
UPDATE media_server_syncs y SET fill_started_at = now()
WHERE y.id = :id AND y.status = 'completed' AND y.filled_at IS NULL
  AND (y.fill_started_at IS NULL OR y.fill_started_at < now() - make_interval(secs => :stale_seconds))
  AND NOT EXISTS (SELECT 1 FROM media_server_syncs n
                  WHERE n.server_id = y.server_id AND n.requested_at > y.requested_at)
RETURNING y.id, y.server_id;

-- name: ms_sync_filled(id, server_id)$
-- The fill is done: the sync's unmatched count becomes what is still unmatched (a title without its title, an
-- episode without its episode; what a sync counts, since every unlinked row is read again by each sync), so it
-- holds also when an earlier try of this fill linked some before it was cut short.
UPDATE media_server_syncs SET filled_at = now(), unmatched = (
    SELECT count(*) FROM media_server_items i
    WHERE i.server_id = :server_id
      AND CASE WHEN i.kind = 'episode' THEN i.episode_id IS NULL ELSE i.kind <> 'season' AND i.media_id IS NULL END)
WHERE id = :id
RETURNING unmatched;

-- name: ms_sync_fill_state(id)^
SELECT status, finished_at, fill_started_at, filled_at FROM media_server_syncs WHERE id = :id;

-- name: ms_items_to_fill(sync_id, server_id, after, size)
-- The server's movies and shows the catalog lacked when they were stored (unlinked, with a TMDB id to add them
-- by), a chunk at a time in item id order after ``after`` (the primary key's order: each is tried once a fill).
-- None once a newer sync of the server was asked for: the fill stops and leaves the rest to that sync's fill,
-- rather than writing the rows that sync is writing.
SELECT i.item_id, i.kind, i.title, i.year, i.provider_ids, i.facts
FROM media_server_items i
WHERE i.server_id = :server_id AND i.item_id > :after AND i.kind IN ('movie', 'show') AND i.media_id IS NULL
  AND i.provider_ids ->> 'tmdb' IS NOT NULL
  AND NOT EXISTS (SELECT 1 FROM media_server_syncs y JOIN media_server_syncs n ON n.server_id = y.server_id
                  WHERE y.id = :sync_id AND n.requested_at > y.requested_at)
ORDER BY i.item_id
LIMIT :size;

-- name: ms_items_episodes_of(server_id, show_ids)
-- The stored episodes of the listed shows: a show added to the catalog is added with them.
SELECT i.item_id, i.parent_item_id, i.title, i.season_number, i.episode_number, i.facts
FROM media_server_items i JOIN unnest(CAST(:show_ids AS text[])) AS s(item_id) ON i.parent_item_id = s.item_id
WHERE i.server_id = :server_id AND i.kind = 'episode';

-- name: ms_items_link(server_id, titles)$
-- The fill's titles and their seasons and episodes linked, where still unlinked (a sync or an admin may have
-- linked one since): the title's id, and for an episode its show's episode of that number. ``titles``:
-- [{item_id, media_id}]. Answers how many stopped being unmatched (the titles, and the episodes now linked to
-- an episode). Tags stay: a linked row is trusted by the next sync as it would be had the sync linked it.
WITH t AS (SELECT * FROM jsonb_to_recordset(:titles::jsonb) AS t(item_id text, media_id bigint)),
targets AS (
    SELECT t.item_id, t.media_id FROM t
    UNION ALL
    SELECT c.item_id, t.media_id FROM media_server_items c JOIN t ON c.parent_item_id = t.item_id
    WHERE c.server_id = :server_id AND c.kind IN ('season', 'episode')
),
linked AS (
    UPDATE media_server_items i SET media_id = g.media_id,
        episode_id = CASE WHEN i.kind = 'episode' THEN (
            SELECT e.id FROM episodes e WHERE e.media_id = g.media_id AND e.season_number = i.season_number
                                          AND e.episode_number = i.episode_number) END,
        updated_at = now()
    FROM targets g
    WHERE i.server_id = :server_id AND i.item_id = g.item_id AND i.media_id IS NULL
    RETURNING i.kind, i.episode_id
)
SELECT count(*) FILTER (WHERE kind IN ('movie', 'show') OR episode_id IS NOT NULL) FROM linked;

-- name: ms_items_analyze()!
-- Fresh planner statistics for the mirror, before a fill's joins: right after a first sync wrote a library the
-- planner still takes the table for nearly empty (autovacuum has not come by yet), and plans the fill's joins as
-- nested loops over every row of the server (minutes for 20,000 items, instead of a fraction of a second).
ANALYZE media_server_items;
