-- Imports on their own queue (issue 33): parse and apply resume where a killed or timed-out run stopped,
-- skipped lines are reported, big files arrive by presigned upload.
-- depends: 0024_imdb_segments

-- Parse cursor: entries of the file consumed so far (rows stored + lines skipped), committed with each
-- batch of rows, so a redelivered parse reads past them instead of starting over. read_at: the whole
-- file is stored (matching is next).
ALTER TABLE imports
    ADD COLUMN rows_read    integer     NOT NULL DEFAULT 0 CHECK (rows_read >= 0),
    ADD COLUMN read_at      timestamptz,
    ADD COLUMN skipped      integer     NOT NULL DEFAULT 0 CHECK (skipped >= 0),
    -- The first skipped lines: [{"row": n, "reason": "..."}], at most 20.
    ADD COLUMN skipped_rows jsonb       NOT NULL DEFAULT '[]'::jsonb,
    -- Apply cursor: every matched row up to here is applied (batches walk the index, never rescan it).
    ADD COLUMN applied_through integer  NOT NULL DEFAULT 0 CHECK (applied_through >= 0);

-- "Has this user an import in flight?" (one at a time per user).
CREATE INDEX imports_user_active_idx ON imports (user_id) WHERE status IN ('parsing', 'applying');

-- A presigned upload: usable once, by its owner, before it expires.
CREATE TABLE import_uploads (
    id          uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
    user_id     uuid        NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    format      text        NOT NULL,
    filename    text        NOT NULL CHECK (char_length(filename) BETWEEN 1 AND 255),
    object_key  text        NOT NULL UNIQUE,
    max_bytes   bigint      NOT NULL CHECK (max_bytes > 0),
    created_at  timestamptz NOT NULL DEFAULT now(),
    expires_at  timestamptz NOT NULL,
    used_at     timestamptz
);
CREATE INDEX import_uploads_user_idx ON import_uploads (user_id, created_at DESC);
COMMENT ON TABLE import_uploads IS 'Presigned import uploads: the key a user may POST to, claimed once by POST /imports.';
