DROP INDEX download_jobs_waiting_idx;
ALTER TABLE download_jobs DROP COLUMN queued_reason;
