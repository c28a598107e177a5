-- History imports (issue 24, item 1): Letterboxd, IMDb, Trakt, Ryot, Yamtrack and /seen/'s own export.
-- An upload is stored in the bucket and parsed in the background into import_rows (one row per watch,
-- rating, watch-later or favorite entry, matched to the catalog); the user looks at the preview and
-- applies it in batches. Applying writes only what is missing, so applying again changes nothing.
-- depends: 0018_catalog_depth

CREATE TABLE imports (
    id           uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
    user_id      uuid        NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    format       text        NOT NULL CHECK (format IN ('letterboxd', 'imdb', 'trakt', 'ryot', 'yamtrack', 'seen')),
    filename     text        NOT NULL CHECK (char_length(filename) BETWEEN 1 AND 255),
    object_key   text        NOT NULL,
    size_bytes   bigint      NOT NULL CHECK (size_bytes >= 0),
    status       text        NOT NULL DEFAULT 'parsing'
                             CHECK (status IN ('parsing', 'preview', 'applying', 'applied', 'failed')),
    error        text,
    -- The preview, computed when parsing ends (and again when an unmatched row is fixed).
    rows_total   integer     NOT NULL DEFAULT 0 CHECK (rows_total >= 0),
    matched      integer     NOT NULL DEFAULT 0 CHECK (matched >= 0),
    unmatched    integer     NOT NULL DEFAULT 0 CHECK (unmatched >= 0),
    to_add       integer     NOT NULL DEFAULT 0 CHECK (to_add >= 0),
    -- Apply progress: matched rows written so far out of matched rows.
    done         integer     NOT NULL DEFAULT 0 CHECK (done >= 0),
    created_at   timestamptz NOT NULL DEFAULT now(),
    updated_at   timestamptz NOT NULL DEFAULT now(),
    parsed_at    timestamptz,
    applied_at   timestamptz
);
CREATE INDEX imports_user_created_idx ON imports (user_id, created_at DESC, id);
COMMENT ON TABLE imports IS 'History imports: uploaded file, parse/apply status, preview counts and progress.';

-- Child of imports (ownership comes from the import, like collection_items).
CREATE TABLE import_rows (
    import_id       uuid         NOT NULL REFERENCES imports (id) ON DELETE CASCADE,
    row_no          integer      NOT NULL CHECK (row_no >= 1),
    kind            text         NOT NULL CHECK (kind IN ('watched', 'rating', 'watchlist', 'favorite')),
    media_type      text         CHECK (media_type IN ('movie', 'show', 'game')),
    title           text,
    year            smallint,
    imdb_id         text,
    tmdb_id         bigint,
    igdb_id         bigint,
    season_number   integer,
    episode_number  integer,
    episode_imdb_id text,
    -- The id the title had in the exporting /seen/ instance (a hint, checked against type and title).
    media_hint      bigint,
    -- When it happened upstream: watched, rated, listed or liked (NULL: the file does not say).
    event_at        timestamptz,
    rating          numeric(3,1) CHECK (rating >= 1 AND rating <= 10 AND rating * 2 = floor(rating * 2)),
    status          text         NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'matched', 'unmatched')),
    reason          text,
    media_id        bigint       REFERENCES media_items (id) ON DELETE SET NULL,
    episode_id      bigint       REFERENCES episodes (id) ON DELETE SET NULL,
    applied_at      timestamptz,
    PRIMARY KEY (import_id, row_no)
);
CREATE INDEX import_rows_status_idx ON import_rows (import_id, status, row_no);
CREATE INDEX import_rows_media_idx ON import_rows (media_id) WHERE media_id IS NOT NULL;
CREATE INDEX import_rows_episode_idx ON import_rows (episode_id) WHERE episode_id IS NOT NULL;
COMMENT ON TABLE import_rows IS 'Parsed rows of an import with their catalog match (the preview), applied in batches.';
