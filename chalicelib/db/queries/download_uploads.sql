-- Presigned .torrent uploads (downloads/uploads.py): every read is scoped by (id, user_id), so another
-- user's upload id is not found.

-- name: downloads_insert_upload(id, user_id, object_key, max_bytes, usable_until)^
INSERT INTO download_uploads (id, user_id, object_key, max_bytes, usable_until)
VALUES (:id, :user_id, :object_key, :max_bytes, :usable_until)
RETURNING *;

-- name: downloads_count_open_uploads(user_id)$
SELECT count(*) FROM download_uploads
WHERE user_id = :user_id AND used_at IS NULL AND usable_until > now();

-- name: downloads_prune_uploads(user_id)!
-- The user's spent or expired rows (their objects go with the bucket sweep of torrents/).
DELETE FROM download_uploads
WHERE user_id = :user_id AND (used_at IS NOT NULL OR usable_until <= now())
  AND created_at < now() - interval '1 day';

-- name: downloads_get_open_upload(id, user_id)^
SELECT * FROM download_uploads
WHERE id = :id AND user_id = :user_id AND used_at IS NULL AND usable_until > now();

-- name: downloads_use_upload(id, user_id)^
-- Exactly once: of two requests naming the same upload, the second waits for the first's row lock and
-- then finds used_at set.
UPDATE download_uploads SET used_at = now()
WHERE id = :id AND user_id = :user_id AND used_at IS NULL
RETURNING id;
