-- Getting things (issue 19): download jobs linked to what they are for, picks with their audit trail,
-- the wanted list and monitored shows.
-- depends: 0010_download_queued_reason

-- A job created by a pick knows the catalog title (and, for a show, the season / episode) it is for,
-- so the scanner's files are filed by this link instead of by title guessing. season without episode:
-- a season pack. NULL media_id: a job submitted by hand (a pasted magnet).
ALTER TABLE download_jobs
    ADD COLUMN media_id bigint  REFERENCES media_items (id) ON DELETE SET NULL,
    ADD COLUMN season   integer CHECK (season BETWEEN 0 AND 10000),
    ADD COLUMN episode  integer CHECK (episode BETWEEN 0 AND 100000),
    ADD CONSTRAINT download_jobs_link_check CHECK (
        (season IS NULL OR media_id IS NOT NULL) AND (episode IS NULL OR season IS NOT NULL));
CREATE INDEX download_jobs_media_idx ON download_jobs (media_id) WHERE media_id IS NOT NULL;

-- The release chosen for (user, media, season, episode) under one quality profile (its hash), with the
-- score that chose it. Overriding a pick does not delete it: the old row gets replaced_at/replaced_by
-- and stays as the audit trail. season/episode are NULL for a movie (and episode NULL for a season pack);
-- the "one current pick" index treats NULLs as equal (NULLS NOT DISTINCT, PostgreSQL 15), which says
-- exactly that without a 0 sentinel that could be mistaken for a special season.
CREATE TABLE picks (
    id            uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
    user_id       uuid        NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    media_id      bigint      NOT NULL REFERENCES media_items (id) ON DELETE CASCADE,
    season        integer     CHECK (season BETWEEN 0 AND 10000),
    episode       integer     CHECK (episode BETWEEN 0 AND 100000),
    profile_hash  text        NOT NULL CHECK (profile_hash ~ '^[0-9a-f]{16}$'),
    infohash      text        CHECK (infohash ~ '^([0-9a-f]{40}|[0-9a-f]{64})$'),
    name          text        NOT NULL CHECK (name <> '' AND char_length(name) <= 1000),
    indexer       text        NOT NULL CHECK (char_length(indexer) <= 200),
    -- The candidate as the API showed it: score breakdown, reasons, parsed release, size, seeders.
    score         jsonb       NOT NULL CHECK (jsonb_typeof(score) = 'object'),
    job_id        uuid        REFERENCES download_jobs (id) ON DELETE SET NULL,
    -- Why this row was made: best (the top candidate), chosen (the user named it), monitor (auto-get).
    reason        text        NOT NULL CHECK (reason IN ('best', 'chosen', 'monitor')),
    created_at    timestamptz NOT NULL DEFAULT now(),
    replaced_at   timestamptz,
    replaced_by   uuid        REFERENCES picks (id) ON DELETE SET NULL,
    CONSTRAINT picks_episode_season_check CHECK (episode IS NULL OR season IS NOT NULL),
    CONSTRAINT picks_replaced_check CHECK (replaced_by IS NULL OR replaced_at IS NOT NULL)
);
CREATE UNIQUE INDEX picks_current_key ON picks (user_id, media_id, season, episode, profile_hash)
    NULLS NOT DISTINCT WHERE replaced_at IS NULL;
CREATE INDEX picks_user_media_idx ON picks (user_id, media_id, created_at DESC);
CREATE INDEX picks_job_idx ON picks (job_id) WHERE job_id IS NOT NULL;
CREATE INDEX picks_replaced_by_idx ON picks (replaced_by) WHERE replaced_by IS NOT NULL;
COMMENT ON TABLE picks IS 'Chosen sources per (user, media, season, episode, profile hash); replaced rows are the audit trail.';

-- The wanted list: movies and episodes are the units (a show or season added is expanded into its aired
-- episodes). Done is not stored: it is computed from library_items (a matched file of the movie or
-- episode), so a file a person later unmatches or re-files makes the item wanted again.
-- The search state drives monitoring: next_search_at backs off after failures or empty searches.
CREATE TABLE wanted (
    id               uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
    user_id          uuid        NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    media_id         bigint      NOT NULL REFERENCES media_items (id) ON DELETE CASCADE,
    season           integer     CHECK (season BETWEEN 0 AND 10000),
    episode          integer     CHECK (episode BETWEEN 0 AND 100000),
    episode_id       bigint,
    created_at       timestamptz NOT NULL DEFAULT now(),
    attempts         integer     NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    last_searched_at timestamptz,
    next_search_at   timestamptz,
    last_error       text        CHECK (char_length(last_error) <= 1000),
    -- The pick monitoring grabbed (NULL until then, or when the user picked by hand).
    pick_id          uuid        REFERENCES picks (id) ON DELETE SET NULL,
    CONSTRAINT wanted_episode_fkey FOREIGN KEY (episode_id, media_id) REFERENCES episodes (id, media_id)
        ON DELETE CASCADE,
    CONSTRAINT wanted_unit_check CHECK ((season IS NULL) = (episode IS NULL) AND (episode IS NULL) = (episode_id IS NULL))
);
CREATE UNIQUE INDEX wanted_unit_key ON wanted (user_id, media_id, season, episode) NULLS NOT DISTINCT;
CREATE INDEX wanted_user_created_idx ON wanted (user_id, created_at DESC);
CREATE INDEX wanted_media_idx ON wanted (media_id);
CREATE INDEX wanted_episode_idx ON wanted (episode_id) WHERE episode_id IS NOT NULL;
CREATE INDEX wanted_next_search_idx ON wanted (next_search_at);
CREATE INDEX wanted_pick_idx ON wanted (pick_id) WHERE pick_id IS NOT NULL;
COMMENT ON TABLE wanted IS 'Movies and episodes a user wants; done when the library holds a matched file.';

-- Shows whose new episodes join the wanted list when they air (added as a whole show or a season), and
-- with auto_get, are searched and grabbed by the monitoring schedule. seasons NULL = every season.
-- checked_through: the last air date already considered, so an episode the user removed from the
-- wanted list is not added back. cutoff: the resolution an automatic grab must reach (NULL: the quality
-- profile's cutoffResolution).
CREATE TABLE monitored_shows (
    user_id          uuid        NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    media_id         bigint      NOT NULL,
    media_type       text        NOT NULL DEFAULT 'show' CHECK (media_type = 'show'),
    seasons          integer[],
    auto_get         boolean     NOT NULL DEFAULT false,
    cutoff           integer     CHECK (cutoff IN (480, 576, 720, 1080, 2160)),
    checked_through  date        NOT NULL DEFAULT CURRENT_DATE,
    created_at       timestamptz NOT NULL DEFAULT now(),
    updated_at       timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (user_id, media_id),
    CONSTRAINT monitored_shows_media_fkey FOREIGN KEY (media_id, media_type)
        REFERENCES media_items (id, media_type) ON DELETE CASCADE
);
CREATE INDEX monitored_shows_media_idx ON monitored_shows (media_id);
COMMENT ON TABLE monitored_shows IS 'Shows whose newly aired episodes are wanted (and, with auto_get, grabbed).';
