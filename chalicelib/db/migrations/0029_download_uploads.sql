-- .torrent files uploaded straight to the bucket (issue 33, item 2): a presigned POST puts the file at
-- object_key, then POST /downloads names the upload id. The row is what makes an upload its owner's and
-- usable once: the job's transaction sets used_at, and a second use finds it set.
CREATE TABLE download_uploads (
    id         uuid        PRIMARY KEY,
    user_id    uuid        NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    object_key text        NOT NULL UNIQUE,
    max_bytes  integer     NOT NULL CHECK (max_bytes > 0),
    created_at timestamptz NOT NULL DEFAULT now(),
    -- Until when the upload may be used (the presigned form itself expires sooner).
    usable_until timestamptz NOT NULL,
    used_at    timestamptz
);
CREATE INDEX download_uploads_user_idx ON download_uploads (user_id, created_at);
COMMENT ON TABLE download_uploads IS 'Presigned .torrent uploads, each usable once by its owner.';
