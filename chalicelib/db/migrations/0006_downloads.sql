-- Download manager: jobs, their state-change log and the files they stored.
-- depends: 0005_tracking

-- State machine (enforced by the service, the CHECKs keep the row coherent):
--   queued -> preparing -> downloading -> completed | failed | stalled
--   stalled -> retrying -> preparing, any active state -> cancelled.
-- attempt numbers each dispatch (download.start carries it, events echo it,
-- so events of an older attempt are recognised as stale). retry_count counts
-- stalled -> retrying transitions and is capped at 3, after which the job
-- fails. Live progress, speed and ETA come from DynamoDB telemetry, the row
-- holds the last accepted state.
CREATE TABLE download_jobs (
    id                  uuid         PRIMARY KEY DEFAULT gen_random_uuid(),
    user_id             uuid         NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    source_type         text         NOT NULL CHECK (source_type IN ('magnet', 'torrent', 'direct', 'http')),
    -- Magnet link or URL. Never logged whole.
    source              text         CHECK (char_length(source) <= 8192),
    -- Bucket key of an uploaded .torrent (source_type torrent).
    torrent_key         text         CHECK (torrent_key <> ''),
    -- Lower-case hex: 40 chars for BitTorrent v1 (btih), 64 for v2 (btmh).
    info_hash           text         CHECK (info_hash ~ '^([0-9a-f]{40}|[0-9a-f]{64})$'),
    title               text         CHECK (char_length(title) <= 1000),
    status              text         NOT NULL DEFAULT 'queued' CHECK (status IN (
                                         'queued', 'preparing', 'downloading', 'stalled', 'retrying',
                                         'completed', 'failed', 'cancelled')),
    attempt             integer      NOT NULL DEFAULT 1 CHECK (attempt >= 1),
    retry_count         smallint     NOT NULL DEFAULT 0 CHECK (retry_count BETWEEN 0 AND 3),
    progress            numeric(5,2) NOT NULL DEFAULT 0 CHECK (progress >= 0 AND progress <= 100),
    bytes_done          bigint       NOT NULL DEFAULT 0 CHECK (bytes_done >= 0),
    bytes_total         bigint       CHECK (bytes_total >= 0),
    -- Stable snake_case code (e.g. http_404, no_peers, disk_full) for the UI.
    error_code          text         CHECK (error_code ~ '^[a-z][a-z0-9_]{0,63}$'),
    error_message       text         CHECK (char_length(error_message) <= 4000),
    -- Optional Idempotency-Key header; fingerprint = hash of the request
    -- body, so the same key with a different body can be refused.
    idempotency_key     text         CHECK (char_length(idempotency_key) BETWEEN 1 AND 255),
    idempotency_fingerprint bytea,
    -- The worker that last reported on the job (heartbeat staleness check).
    worker_id           text,
    cancel_requested_at timestamptz,
    last_event_at       timestamptz,
    next_retry_at       timestamptz,
    -- When download.start for the current attempt was sent. NULL while
    -- queued means the message is still owed: the reconciler sends it.
    command_sent_at     timestamptz,
    created_at          timestamptz  NOT NULL DEFAULT now(),
    updated_at          timestamptz  NOT NULL DEFAULT now(),
    started_at          timestamptz,
    completed_at        timestamptz,
    -- Set on entering any terminal state (completed, failed, cancelled).
    -- Cleanup of events and staging objects keys off it.
    ended_at            timestamptz,
    CONSTRAINT download_jobs_source_ref_check CHECK (
        CASE WHEN source_type = 'torrent' THEN torrent_key IS NOT NULL ELSE source IS NOT NULL END
    ),
    CONSTRAINT download_jobs_completed_progress_check CHECK (status <> 'completed' OR progress = 100),
    CONSTRAINT download_jobs_completed_at_check CHECK ((status = 'completed') = (completed_at IS NOT NULL)),
    CONSTRAINT download_jobs_ended_at_check CHECK (
        (status IN ('completed', 'failed', 'cancelled')) = (ended_at IS NOT NULL)
    )
    -- No bytes_done <= bytes_total check: a server may send more than its
    -- Content-Length announced, and that must not make an event unappliable.
);
-- Dispatch/reconcile: what still needs a command.
CREATE INDEX download_jobs_pending_idx ON download_jobs (status, created_at) WHERE status IN ('queued', 'retrying');
-- Reconciler: running jobs whose worker went quiet.
CREATE INDEX download_jobs_running_idx ON download_jobs (status) WHERE status IN ('preparing', 'downloading', 'stalled');
-- GET /downloads cursor paging (created_at, id), optionally by status. These
-- also serve as the user_id-led indexes. No (user_id, updated_at) index here:
-- updated_at moves with every accepted worker event and nothing lists jobs by it.
CREATE INDEX download_jobs_user_created_idx ON download_jobs (user_id, created_at DESC, id DESC);
CREATE INDEX download_jobs_user_status_idx ON download_jobs (user_id, status, created_at DESC, id DESC);
CREATE UNIQUE INDEX download_jobs_idempotency_key ON download_jobs (user_id, idempotency_key) WHERE idempotency_key IS NOT NULL;
-- Cleanup: orphaned .torrent uploads are objects no job row references.
CREATE INDEX download_jobs_torrent_key_idx ON download_jobs (torrent_key) WHERE torrent_key IS NOT NULL;
CREATE INDEX download_jobs_ended_at_idx ON download_jobs (ended_at) WHERE ended_at IS NOT NULL;
CREATE INDEX download_jobs_info_hash_idx ON download_jobs (user_id, info_hash) WHERE info_hash IS NOT NULL;
COMMENT ON TABLE download_jobs IS 'Download jobs (magnet, .torrent, direct/HTTP) per user; status follows the download state machine.';

-- Append-only log: one row per accepted state change (the job timeline).
-- Child of the job, reached only after the job's ownership check, so no
-- user_id here. Cleanup deletes rows of terminal jobs past the retention.
CREATE TABLE download_events (
    id              bigint       GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    job_id          uuid         NOT NULL REFERENCES download_jobs (id) ON DELETE CASCADE,
    at              timestamptz  NOT NULL DEFAULT now(),
    -- NULL for the job's first event (creation).
    from_status     text         CHECK (from_status IN (
                                     'queued', 'preparing', 'downloading', 'stalled', 'retrying',
                                     'completed', 'failed', 'cancelled')),
    to_status       text         NOT NULL CHECK (to_status IN (
                                     'queued', 'preparing', 'downloading', 'stalled', 'retrying',
                                     'completed', 'failed', 'cancelled')),
    attempt         integer      NOT NULL CHECK (attempt >= 1),
    progress        numeric(5,2) CHECK (progress >= 0 AND progress <= 100),
    -- Who caused it: the API (create, cancel), a worker event, the reconciler.
    actor           text         NOT NULL DEFAULT 'api' CHECK (actor IN ('api', 'worker', 'reconciler')),
    message         text,
    data            jsonb        NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(data) = 'object')
);
CREATE INDEX download_events_job_idx ON download_events (job_id, id);
COMMENT ON TABLE download_events IS 'State-change timeline of download jobs (GET /downloads/{id}/events, after=id).';

-- Files a job stored in the bucket (download.file_stored). Idempotent by
-- storage_key and by (job, path): a redelivered event changes nothing.
CREATE TABLE download_files (
    id              uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
    job_id          uuid        NOT NULL REFERENCES download_jobs (id) ON DELETE CASCADE,
    -- Path inside the download (torrent file path or URL file name).
    path            text        NOT NULL CHECK (path <> ''),
    storage_key     text        NOT NULL UNIQUE CHECK (storage_key <> ''),
    size_bytes      bigint      NOT NULL CHECK (size_bytes >= 0),
    sha256          text        CHECK (sha256 ~ '^[0-9a-f]{64}$'),
    stored_at       timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT download_files_job_path_key UNIQUE (job_id, path)
);
COMMENT ON TABLE download_files IS 'Objects stored in the bucket by a download job.';
