-- Scheduled cleanup (job "cleanup.daily"): every delete is bounded by a retention and by what is still referenced.

-- name: cleanup_sessions(now, revoked_before)$
-- Expired sessions, and revoked ones once the grace period for reuse detection has passed
-- (refresh tokens go with them: ON DELETE CASCADE).
WITH gone AS (
    DELETE FROM sessions WHERE expires_at < :now OR revoked_at < :revoked_before RETURNING 1
)
SELECT count(*) FROM gone;

-- name: cleanup_download_events(before)$
-- Timeline rows of terminal jobs only: a running job's events stay whatever their age.
WITH gone AS (
    DELETE FROM download_events e USING download_jobs j
    WHERE e.job_id = j.id AND j.status IN ('completed', 'failed', 'cancelled') AND e.at < :before
    RETURNING 1
)
SELECT count(*) FROM gone;

-- name: cleanup_recommendation_snapshots(before)$
-- Old snapshots, never a user's newest one (it is the list they see).
WITH newest AS (
    SELECT DISTINCT ON (user_id) id FROM recommendation_snapshots ORDER BY user_id, computed_at DESC
), gone AS (
    DELETE FROM recommendation_snapshots
    WHERE computed_at < :before AND id NOT IN (SELECT id FROM newest)
    RETURNING 1
)
SELECT count(*) FROM gone;

-- name: cleanup_job_statuses(job_ids)
-- Statuses of the jobs named by bucket prefixes and telemetry items (absent = no such job).
SELECT id::text AS id, status FROM download_jobs WHERE id::text = ANY(:job_ids);

-- name: cleanup_started(job_name, trigger, requested_by)$
WITH state AS (
    INSERT INTO sync_state (job_name, last_started_at, last_status, last_error, updated_at)
    VALUES (:job_name, now(), 'running', NULL, now())
    ON CONFLICT (job_name) DO UPDATE SET last_started_at = now(), last_status = 'running', updated_at = now()
    RETURNING job_name
)
INSERT INTO sync_runs (job_name, trigger, requested_by, status)
SELECT job_name, :trigger, :requested_by, 'running' FROM state
RETURNING id;

-- name: cleanup_finished(run_id, job_name, status, error, duration_ms, stats)!
WITH run AS (
    UPDATE sync_runs SET status = :status, finished_at = now(), duration_ms = :duration_ms, error = :error,
                         stats = CAST(:stats AS jsonb)
    WHERE id = :run_id
)
UPDATE sync_state SET
    last_finished_at = now(), last_status = :status, last_error = :error, duration_ms = :duration_ms,
    stats = CAST(:stats AS jsonb),
    last_success_at = CASE WHEN :status = 'ok' THEN now() ELSE last_success_at END,
    consecutive_failures = CASE WHEN :status = 'failed' THEN consecutive_failures + 1 ELSE 0 END,
    updated_at = now()
WHERE job_name = :job_name;

-- name: cleanup_playback_sessions(before, batch)$
-- Up to batch playback sessions not heard from since before, never a user's newest one of a title (what /resume
-- returns: its exact pick and file; the same order as session_latest). One row is written per Play, so without
-- this the table grows for ever; the caller repeats it until a batch comes back short, so no one statement
-- locks or rewrites the whole table.
WITH doomed AS (
    SELECT s.id FROM playback_sessions s
    WHERE s.updated_at < :before AND EXISTS (
        SELECT 1 FROM playback_sessions n
        WHERE n.user_id = s.user_id AND n.media_id = s.media_id
          AND (n.updated_at, n.created_at, n.id) > (s.updated_at, s.created_at, s.id))
    LIMIT :batch
), gone AS (
    DELETE FROM playback_sessions p USING doomed WHERE p.id = doomed.id
    RETURNING 1
)
SELECT count(*) FROM gone;
