-- Why a queued job has not been sent to the worker yet: the instance's download limit
-- (downloads.max_concurrent) or the per-user cap (SEEN_DOWNLOAD_PER_USER_ACTIVE). NULL: it holds a
-- slot (sent, running, or owed its command after a failed send).
ALTER TABLE download_jobs ADD COLUMN queued_reason text;

-- Jobs that waited for a slot before this column existed wait with a reason now, so the
-- dispatcher (not the resend of lost commands) decides when they go.
UPDATE download_jobs SET queued_reason = 'waiting for a free download slot'
WHERE status IN ('queued', 'retrying') AND command_sent_at IS NULL;

CREATE INDEX download_jobs_waiting_idx ON download_jobs (created_at) WHERE queued_reason IS NOT NULL;
