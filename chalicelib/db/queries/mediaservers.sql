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
-- A sync still "running" long after any run could have ended was interrupted (its process died).
UPDATE media_server_syncs SET status = 'failed', finished_at = now(), error = 'interrupted'
WHERE server_id = :server_id AND status = 'running' AND started_at < now() - make_interval(secs => :stale_seconds);

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

-- name: ms_items_prune(server_id, seen_ids)$
-- What the server no longer reports: every item of the server this sync did not list (an anti-join on the
-- listed ids, so an unchanged item is never rewritten just to say it was seen).
WITH seen AS (SELECT unnest(CAST(:seen_ids AS text[])) AS item_id),
gone AS (
    DELETE FROM media_server_items i
    WHERE i.server_id = :server_id AND NOT EXISTS (SELECT 1 FROM seen s WHERE s.item_id = i.item_id)
    RETURNING 1
)
SELECT count(*) FROM gone;

-- name: ms_match_ids(media_types, tmdb_ids, imdb_ids, tvdb_ids)
-- Catalog titles carrying any of the ids (the service picks, per item, tmdb over imdb over tvdb).
SELECT id, media_type, tmdb_id, imdb_id, tvdb_id FROM media_items
WHERE media_type = ANY(:media_types)
  AND (tmdb_id = ANY(:tmdb_ids) OR imdb_id = ANY(:imdb_ids) OR tvdb_id = ANY(:tvdb_ids));

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
