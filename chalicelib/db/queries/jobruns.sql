-- Scheduled job runs (chalicelib/jobruns): sync_state holds each job's latest run, sync_runs every run.

-- name: scheduled_job_started(job_name, trigger)$
WITH state AS (
    INSERT INTO sync_state (job_name, last_started_at, last_status, last_error, updated_at)
    VALUES (:job_name, now(), 'running', NULL, now())
    ON CONFLICT (job_name) DO UPDATE SET last_started_at = now(), last_status = 'running', updated_at = now()
    RETURNING job_name
)
INSERT INTO sync_runs (job_name, trigger, status)
SELECT job_name, :trigger, 'running' FROM state
RETURNING id;

-- name: scheduled_job_finished(run_id, job_name, status, error, duration_ms, stats)!
WITH run AS (
    UPDATE sync_runs SET status = :status, finished_at = now(), duration_ms = :duration_ms, error = :error,
                         stats = :stats::jsonb
    WHERE id = :run_id
)
UPDATE sync_state SET
    last_finished_at = now(), last_status = :status, last_error = :error, duration_ms = :duration_ms,
    stats = :stats::jsonb,
    last_success_at = CASE WHEN :status = 'ok' THEN now() ELSE last_success_at END,
    consecutive_failures = CASE WHEN :status = 'failed' THEN consecutive_failures + 1
                                WHEN :status = 'ok' THEN 0 ELSE consecutive_failures END,
    updated_at = now()
WHERE job_name = :job_name;

-- name: scheduled_source_paused(source)$
-- An admin paused the source (admin -> Catalog data, table of migration 0033): its scheduled handlers skip.
SELECT EXISTS (SELECT 1 FROM enrichment_pauses WHERE source = :source);
