-- IMDb datasets import (issue 23): runs and their progress, the last imported version of each file,
-- and what makes a re-import cheap and resumable.
-- depends: 0018_catalog_depth

-- One row per import run. files holds per-file figures (sha256, read, malformed, skipped, inserted,
-- updated, unchanged, a few malformed samples), updated in the same transaction as each batch.
CREATE TABLE imdb_runs (
    id           bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    status       text        NOT NULL DEFAULT 'running'
                             CHECK (status IN ('running', 'succeeded', 'failed', 'skipped', 'partial')),
    trigger      text        NOT NULL CHECK (trigger IN ('schedule', 'admin', 'cli')),
    requested_by uuid        REFERENCES users (id) ON DELETE SET NULL,
    started_at   timestamptz NOT NULL DEFAULT now(),
    finished_at  timestamptz,
    current_file text,
    rows_done    bigint      NOT NULL DEFAULT 0,
    files        jsonb       NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(files) = 'object'),
    error        text
);
CREATE INDEX imdb_runs_started_idx ON imdb_runs (started_at DESC);
CREATE INDEX imdb_runs_running_idx ON imdb_runs (id) WHERE status = 'running';
COMMENT ON TABLE imdb_runs IS 'IMDb datasets import runs: status, trigger, per-file figures, progress. partial = stopped at its time budget (the next run continues).';

-- The version (SHA-256 of the compressed bytes) of each file last imported in full: an equal file is skipped.
CREATE TABLE imdb_files (
    name        text        PRIMARY KEY,
    sha256      text        NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
    run_id      bigint      REFERENCES imdb_runs (id) ON DELETE SET NULL,
    imported_at timestamptz NOT NULL DEFAULT now()
);
COMMENT ON TABLE imdb_files IS 'Last fully imported version of each IMDb dataset file.';

-- A file's rows are grouped by key range (chunk = numeric id >> shift). The hash of a chunk's raw lines is
-- stored in the transaction that applied them: an unchanged chunk is not staged again, and a run that died
-- continues after its last committed batch (its chunks already match).
CREATE TABLE imdb_chunks (
    file  text   NOT NULL,
    chunk bigint NOT NULL,
    hash  bigint NOT NULL,
    PRIMARY KEY (file, chunk)
);
COMMENT ON TABLE imdb_chunks IS 'Hash of the raw lines of each applied key-range chunk of an IMDb file.';

-- title.basics rows of episodes (name, year, runtime): title.episode places them under their show.
CREATE TABLE imdb_episode_info (
    tconst  text     PRIMARY KEY CHECK (tconst ~ '^tt[0-9]+$'),
    name    text,
    year    smallint,
    runtime integer
);
COMMENT ON TABLE imdb_episode_info IS 'IMDb episode titles from title.basics, joined with title.episode.';

-- title.ratings as last imported: new titles take their rating when inserted (no second write of the row),
-- and a rating whose title arrives later is not lost.
CREATE TABLE imdb_ratings (
    tconst text         PRIMARY KEY CHECK (tconst ~ '^tt[0-9]+$'),
    rating numeric(3,1) NOT NULL,
    votes  integer      NOT NULL
);
COMMENT ON TABLE imdb_ratings IS 'IMDb ratings from title.ratings, applied to titles as they are imported.';
