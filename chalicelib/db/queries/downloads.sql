-- Download manager: jobs, their event timeline and their stored files.
-- Every user-facing read is scoped by (id, user_id); the worker-event and
-- reconciler queries are internal and lock the row they change.

-- name: downloads_insert_job(user_id, source_type, source, torrent_key, info_hash, title, idempotency_key, idempotency_fingerprint, queued_reason, media_id, season, episode)^
-- media_id/season/episode: what the job is for (a pick), NULL for a source submitted by hand.
INSERT INTO download_jobs (user_id, source_type, source, torrent_key, info_hash, title,
                           idempotency_key, idempotency_fingerprint, queued_reason, media_id, season, episode)
VALUES (:user_id, :source_type, :source, :torrent_key, :info_hash, :title,
        :idempotency_key, :idempotency_fingerprint, :queued_reason, :media_id, :season, :episode)
RETURNING *;

-- name: downloads_insert_event(job_id, from_status, to_status, attempt, progress, actor, message, data)!
INSERT INTO download_events (job_id, from_status, to_status, attempt, progress, actor, message, data)
VALUES (:job_id, :from_status, :to_status, :attempt, :progress, :actor, :message, CAST(:data AS jsonb));

-- name: downloads_get_job(job_id, user_id)^
SELECT * FROM download_jobs WHERE id = :job_id AND user_id = :user_id;

-- name: downloads_pick_of_job(job_id, user_id)$
-- The pick that started the job (the newest, when several named it): its id goes on the stream's log lines.
SELECT id FROM picks WHERE job_id = :job_id AND user_id = :user_id ORDER BY created_at DESC LIMIT 1;

-- name: downloads_get_job_by_idempotency_key(user_id, idempotency_key)^
SELECT * FROM download_jobs WHERE user_id = :user_id AND idempotency_key = :idempotency_key;

-- name: downloads_lock_job(job_id)^
-- Internal (worker events, reconciler): serialises changes to one job.
SELECT * FROM download_jobs WHERE id = :job_id FOR UPDATE;

-- name: downloads_lock_user_job(job_id, user_id)^
SELECT * FROM download_jobs WHERE id = :job_id AND user_id = :user_id FOR UPDATE;

-- name: downloads_list_jobs(user_id, statuses, cursor_created_at, cursor_id, limit)
-- Newest first, keyset-paged on (created_at, id); statuses NULL = every status.
SELECT * FROM download_jobs
WHERE user_id = :user_id
  AND (CAST(:statuses AS text[]) IS NULL OR status = ANY(CAST(:statuses AS text[])))
  AND (CAST(:cursor_created_at AS timestamptz) IS NULL
       OR (created_at, id) < (CAST(:cursor_created_at AS timestamptz), CAST(:cursor_id AS uuid)))
ORDER BY created_at DESC, id DESC
LIMIT :limit;

-- name: downloads_count_active(user_id)$
-- The dashboard's active downloads: persisted non-terminal jobs.
SELECT count(*) FROM download_jobs
WHERE user_id = :user_id AND status IN ('queued', 'preparing', 'downloading', 'stalled', 'retrying');

-- name: downloads_apply_state(job_id, status, progress, bytes_done, bytes_total, error_code, error_message, worker_id, next_retry_at)^
-- Writes an accepted state or progress change; the terminal timestamps follow the status.
UPDATE download_jobs
SET status = :status,
    progress = :progress,
    bytes_done = :bytes_done,
    bytes_total = :bytes_total,
    error_code = :error_code,
    error_message = :error_message,
    worker_id = coalesce(:worker_id, worker_id),
    next_retry_at = :next_retry_at,
    last_event_at = now(),
    updated_at = now(),
    started_at = CASE WHEN :status IN ('preparing', 'downloading') THEN coalesce(started_at, now())
                      ELSE started_at END,
    completed_at = CASE WHEN :status = 'completed' THEN coalesce(completed_at, now()) END,
    ended_at = CASE WHEN :status IN ('completed', 'failed', 'cancelled') THEN coalesce(ended_at, now()) END
WHERE id = :job_id
RETURNING *;

-- name: downloads_cancel_job(job_id)^
UPDATE download_jobs
SET status = 'cancelled', cancel_requested_at = now(), ended_at = now(), updated_at = now(),
    next_retry_at = NULL, queued_reason = NULL
WHERE id = :job_id AND status IN ('queued', 'preparing', 'downloading', 'stalled', 'retrying')
RETURNING *;

-- name: downloads_retry_job(job_id)^
-- stalled -> retrying: a new attempt whose command is still owed.
UPDATE download_jobs
SET status = 'retrying', attempt = attempt + 1, retry_count = retry_count + 1,
    command_sent_at = NULL, next_retry_at = NULL, error_code = NULL, error_message = NULL,
    updated_at = now()
WHERE id = :job_id AND status = 'stalled' AND retry_count < 3
RETURNING *;

-- name: downloads_mark_command_sent(job_id, attempt)!
UPDATE download_jobs SET command_sent_at = now()
WHERE id = :job_id AND attempt = :attempt AND status IN ('queued', 'retrying') AND command_sent_at IS NULL;

-- name: downloads_lock_unsent(older_than_seconds, limit)
-- Jobs owed their download.start: they hold a slot (no queued_reason) but the send after commit
-- failed or never happened. Waiting jobs are the dispatcher's (downloads_waiting).
SELECT * FROM download_jobs
WHERE status IN ('queued', 'retrying') AND command_sent_at IS NULL AND queued_reason IS NULL
  AND updated_at < now() - make_interval(secs => :older_than_seconds)
ORDER BY created_at
LIMIT :limit
FOR UPDATE SKIP LOCKED;

-- name: downloads_lock_dispatch()$
-- Serialises every decision about worker slots (submissions, releases); released at commit.
SELECT pg_advisory_xact_lock(hashtext('seen:downloads:dispatch'))::text;

-- name: downloads_instance_limit()$
-- The instance setting downloads.max_concurrent; NULL when unset (no instance-wide limit).
SELECT (SELECT CAST(value AS integer) FROM instance_settings WHERE key = 'downloads.max_concurrent');

-- name: downloads_slot_holders()
-- Per user, the jobs holding a worker slot: active and not waiting (sent, running, or owed a resend).
SELECT user_id, count(*) AS n FROM download_jobs
WHERE status IN ('queued', 'preparing', 'downloading', 'stalled', 'retrying') AND queued_reason IS NULL
GROUP BY user_id;

-- name: downloads_waiting(per_user, limit)
-- Waiting jobs, oldest first; only each user's per_user oldest (the next ones cannot go before them).
SELECT * FROM (
    SELECT *, row_number() OVER (PARTITION BY user_id ORDER BY created_at, id) AS user_rank
    FROM download_jobs
    WHERE status IN ('queued', 'retrying') AND queued_reason IS NOT NULL) AS waiting
WHERE user_rank <= :per_user
ORDER BY created_at, id
LIMIT :limit;

-- name: downloads_release_job(job_id)^
-- A waiting job takes a slot (under downloads_lock_dispatch); its command is sent after commit.
UPDATE download_jobs SET queued_reason = NULL, updated_at = now()
WHERE id = :job_id AND status IN ('queued', 'retrying') AND queued_reason IS NOT NULL
RETURNING *;

-- name: downloads_set_queued_reason(job_id, queued_reason)!
UPDATE download_jobs SET queued_reason = :queued_reason
WHERE id = :job_id AND queued_reason IS NOT NULL;

-- name: downloads_lock_due_retries(limit)
SELECT * FROM download_jobs
WHERE status = 'stalled' AND next_retry_at <= now()
ORDER BY next_retry_at
LIMIT :limit
FOR UPDATE SKIP LOCKED;

-- name: downloads_lock_running(limit)
-- Jobs a worker is running; the reconciler checks those workers' heartbeats.
SELECT * FROM download_jobs
WHERE status IN ('preparing', 'downloading')
ORDER BY last_event_at NULLS FIRST
LIMIT :limit
FOR UPDATE SKIP LOCKED;

-- name: downloads_list_events(job_id, after, limit)
SELECT id, at, from_status, to_status, attempt, progress, actor, message, data
FROM download_events
WHERE job_id = :job_id AND id > :after
ORDER BY id
LIMIT :limit;

-- name: downloads_list_files(job_id)
SELECT id, path, storage_key, size_bytes, sha256, stored_at
FROM download_files WHERE job_id = :job_id ORDER BY path;

-- name: downloads_file_subtitles(storage_key)
-- The WebVTT tracks the library made of a stored download file when the worker indexed it.
SELECT s.language, s.label, s.storage_key FROM library_items li
JOIN library_subtitles s ON s.library_item_id = li.id
WHERE li.storage_key = :storage_key
ORDER BY s.is_default DESC, s.language, s.created_at, s.id;

-- name: downloads_upsert_file(job_id, path, storage_key, size_bytes, sha256)!
-- Idempotent: a redelivered file_stored event changes nothing (rowcount 0);
-- a re-upload by a later attempt (same key: the object was overwritten)
-- records what the bucket now holds.
INSERT INTO download_files (job_id, path, storage_key, size_bytes, sha256)
VALUES (:job_id, :path, :storage_key, :size_bytes, :sha256)
ON CONFLICT (storage_key) DO UPDATE
SET size_bytes = EXCLUDED.size_bytes, sha256 = EXCLUDED.sha256, stored_at = now()
WHERE download_files.job_id = EXCLUDED.job_id
  AND (download_files.size_bytes, download_files.sha256) IS DISTINCT FROM (EXCLUDED.size_bytes, EXCLUDED.sha256);

-- name: downloads_titles(user_id, job_ids)
-- What the user's jobs are of, for the downloads list: the catalog title a job was picked for (else the one its
-- stored file was matched to) as a summary row, and the parsed release of its pick (quality). A job of neither
-- kind (a link added by hand, not matched yet) has a row of nulls. dashboard_active_downloads joins the same.
SELECT j.id AS job_id, t.media, p.parsed
FROM download_jobs j
LEFT JOIN LATERAL (SELECT li.media_id FROM library_items li
                   WHERE li.source_job_id = j.id AND li.media_id IS NOT NULL
                   ORDER BY li.size_bytes DESC, li.id LIMIT 1) filed ON j.media_id IS NULL
LEFT JOIN LATERAL (SELECT jsonb_build_object(
                       'id', m.id, 'media_type', m.media_type, 'title', m.title, 'original_title', m.original_title,
                       'year', m.year, 'release_date', m.release_date, 'poster_path', m.poster_path,
                       'backdrop_path', m.backdrop_path, 'vote_average', m.vote_average, 'vote_count', m.vote_count,
                       'popularity', m.popularity, 'status', m.status, 'is_demo', m.is_demo) AS media
                   FROM media_items m WHERE m.id = coalesce(j.media_id, filed.media_id)) t ON true
LEFT JOIN LATERAL (SELECT pk.score -> 'parsed' AS parsed FROM picks pk
                   WHERE pk.job_id = j.id AND pk.user_id = j.user_id
                   ORDER BY pk.created_at DESC LIMIT 1) p ON true
WHERE j.user_id = :user_id AND j.id = ANY(CAST(:job_ids AS uuid[]));
