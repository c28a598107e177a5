-- Users' linked accounts on media servers (issue 36): the link (its token write-only), its one-time import
-- of played state, and what the import and the stream URL read of the mirrored items.

-- name: msa_servers_for_user(user_id)
-- The enabled servers a user may link, with the user's link when there is one (never the token).
SELECT s.id AS server_id, s.kind, s.name, s.url, a.remote_user, a.created_at AS linked_at, a.import_status,
       a.import_requested_at, a.import_started_at, a.import_finished_at, a.imported_watched,
       a.imported_in_progress, a.imported_unmatched, a.import_error
FROM media_servers s
LEFT JOIN media_server_accounts a ON a.server_id = s.id AND a.user_id = :user_id
WHERE s.enabled
ORDER BY lower(s.name);

-- name: msa_link_upsert(user_id, server_id, remote_user_id, remote_user, token_ciphertext, key_id)^
-- Link (or link again: another account or a new token replaces the old one; the import state stays).
INSERT INTO media_server_accounts (user_id, server_id, remote_user_id, remote_user, token_ciphertext, key_id)
VALUES (:user_id, :server_id, :remote_user_id, :remote_user, :token_ciphertext, :key_id)
ON CONFLICT (user_id, server_id) DO UPDATE SET
    remote_user_id = excluded.remote_user_id, remote_user = excluded.remote_user,
    token_ciphertext = excluded.token_ciphertext, key_id = excluded.key_id, updated_at = now()
RETURNING user_id, server_id;

-- name: msa_unlink(user_id, server_id)$
WITH gone AS (
    DELETE FROM media_server_accounts WHERE user_id = :user_id AND server_id = :server_id RETURNING 1
)
SELECT count(*) FROM gone;

-- name: msa_account(user_id, server_id)^
-- The link with its server, as the import and the stream URL need them (the token decrypted by the caller).
SELECT a.user_id, a.server_id, a.remote_user_id, a.remote_user, a.token_ciphertext, a.key_id, a.import_status,
       s.kind, s.name, s.url, s.allow_private, s.enabled
FROM media_server_accounts a
JOIN media_servers s ON s.id = a.server_id
WHERE a.user_id = :user_id AND a.server_id = :server_id;

-- name: msa_import_request(user_id, server_id, stale_seconds)^
-- Queue the link's import unless one waits or runs (a wait or run older than ``stale_seconds`` was lost).
UPDATE media_server_accounts SET import_status = 'queued', import_requested_at = now(), import_started_at = NULL,
    import_finished_at = NULL, import_error = NULL, updated_at = now()
WHERE user_id = :user_id AND server_id = :server_id
  AND (import_status IS NULL OR import_status IN ('completed', 'failed')
       OR (import_status = 'queued' AND import_requested_at < now() - make_interval(secs => :stale_seconds))
       OR (import_status = 'running' AND import_started_at < now() - make_interval(secs => :stale_seconds)))
RETURNING user_id, server_id;

-- name: msa_import_unsend(user_id, server_id, error)!
-- The queued import's message could not be sent: it ends as failed (asking again is the user's to do).
UPDATE media_server_accounts SET import_status = 'failed', import_finished_at = now(), import_error = :error,
    updated_at = now()
WHERE user_id = :user_id AND server_id = :server_id AND import_status = 'queued';

-- name: msa_import_start(user_id, server_id, stale_seconds)^
-- The consumer takes the queued import (or a dead running one); no row: nothing to do.
UPDATE media_server_accounts SET import_status = 'running', import_started_at = now(), updated_at = now()
WHERE user_id = :user_id AND server_id = :server_id
  AND (import_status = 'queued'
       OR (import_status = 'running' AND import_started_at < now() - make_interval(secs => :stale_seconds)))
RETURNING user_id, server_id;

-- name: msa_import_finish(user_id, server_id, status, watched, in_progress, unmatched, error)!
UPDATE media_server_accounts SET import_status = :status, import_finished_at = now(), imported_watched = :watched,
    imported_in_progress = :in_progress, imported_unmatched = :unmatched, import_error = :error, updated_at = now()
WHERE user_id = :user_id AND server_id = :server_id;

-- name: msa_items_linked(server_id, item_ids)
-- The mirrored items among ``item_ids`` with their catalog links (a show's episode needs its episode link).
SELECT item_id, kind, media_id, episode_id, playable
FROM media_server_items
WHERE server_id = :server_id AND item_id = ANY(:item_ids);

-- name: msa_watch_near(user_id, media_id, episode_id, watched_at, window_seconds)$
-- Whether the user's history already holds this watch: one within ``window_seconds`` of the server's date
-- (the same play, scrobbled when it ended), or any watch at all when the server gave no date.
SELECT EXISTS (
    SELECT 1 FROM user_watched
    WHERE user_id = :user_id AND media_id = :media_id AND episode_id IS NOT DISTINCT FROM :episode_id::bigint
      AND (:watched_at::timestamptz IS NULL
           OR watched_at BETWEEN :watched_at::timestamptz - make_interval(secs => :window_seconds)
                             AND :watched_at::timestamptz + make_interval(secs => :window_seconds))
) AS found;

-- name: msa_stream_item(user_id, server_id, item_id)^
-- A playable movie or episode of a server the user linked (no row: not linked, not there, or not playable).
SELECT i.item_id, i.kind, i.media_id, i.episode_id
FROM media_server_accounts a
JOIN media_servers s ON s.id = a.server_id AND s.enabled
JOIN media_server_items i ON i.server_id = a.server_id AND i.item_id = :item_id
WHERE a.user_id = :user_id AND a.server_id = :server_id AND i.playable AND i.kind IN ('movie', 'episode');

-- name: msa_enabled_server_urls()
-- Every enabled server's URL: the SPA's CSP lets the player load media from their origins.
SELECT url FROM media_servers WHERE enabled;
