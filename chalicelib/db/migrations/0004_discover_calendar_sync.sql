-- Discover rows, release calendar events and scheduled-job bookkeeping.
-- depends: 0003_catalog

-- A discover row: a TMDB/IGDB list (trending, popular, ...), a curated YAML
-- collection, or a demo-catalog row. A sync replaces a section's items in one
-- transaction, so a failed run leaves the previous items in place.
CREATE TABLE discover_sections (
    id              bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    key             text        NOT NULL UNIQUE CHECK (key ~ '^[a-z0-9][a-z0-9_.:-]*$'),
    title           text        NOT NULL CHECK (btrim(title) <> ''),
    -- NULL: the row mixes media types.
    media_type      text        CHECK (media_type IN ('movie', 'show', 'game')),
    source          text        NOT NULL CHECK (source IN ('tmdb', 'igdb', 'curated', 'demo')),
    position        integer     NOT NULL DEFAULT 0 CHECK (position >= 0),
    is_enabled      boolean     NOT NULL DEFAULT true,
    -- Upstream endpoint and parameters, or the curated filter (type, genre,
    -- sort, minimum votes, limit).
    definition      jsonb       NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(definition) = 'object'),
    refreshed_at    timestamptz,
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX discover_sections_position_idx ON discover_sections (position, id) WHERE is_enabled;
COMMENT ON TABLE discover_sections IS 'Discover rows (TMDB/IGDB lists, curated YAML collections, demo rows).';

CREATE TABLE discover_section_items (
    section_id      bigint      NOT NULL REFERENCES discover_sections (id) ON DELETE CASCADE,
    media_id        bigint      NOT NULL REFERENCES media_items (id) ON DELETE CASCADE,
    position        integer     NOT NULL CHECK (position >= 0),
    PRIMARY KEY (section_id, media_id)
);
-- Not unique: a refresh may renumber in place.
CREATE INDEX discover_section_items_position_idx ON discover_section_items (section_id, position);
CREATE INDEX discover_section_items_media_idx ON discover_section_items (media_id);

-- Calendar entries. The natural key (media, kind, episode/season, platform,
-- region, release type) excludes the date, so a postponed release updates
-- its row instead of adding one; NULLS NOT DISTINCT (PostgreSQL 15) makes the
-- key work for the NULL columns, so INSERT ... ON CONFLICT is idempotent.
CREATE TABLE release_events (
    id                bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    -- The movie, the show (episode/season events) or the game/DLC item.
    media_id          bigint      NOT NULL REFERENCES media_items (id) ON DELETE CASCADE,
    season_id         bigint,
    episode_id        bigint,
    platform_id       bigint      REFERENCES platforms (id) ON DELETE CASCADE,
    kind              text        NOT NULL CHECK (kind IN (
                                      'movie_release', 'episode_air', 'season_premiere',
                                      'game_release', 'dlc_release')),
    -- For approximate windows (a quarter, a year) release_date is the first
    -- day of the window.
    release_date      date        NOT NULL,
    release_precision text        NOT NULL DEFAULT 'exact' CHECK (release_precision IN ('exact', 'month', 'quarter', 'year')),
    -- TMDB movie release types; NULL for everything else.
    release_type      text        CHECK (release_type IN (
                                      'premiere', 'theatrical_limited', 'theatrical', 'digital', 'physical', 'tv')),
    -- ISO 3166-1 country (TMDB) or IGDB region name; NULL = worldwide/unknown.
    region            text        CHECK (char_length(region) BETWEEN 2 AND 32),
    -- Demo-catalog events (scheduled relative to the load date).
    is_demo           boolean     NOT NULL DEFAULT false,
    source            text        NOT NULL CHECK (source IN ('tmdb', 'igdb', 'demo')),
    created_at        timestamptz NOT NULL DEFAULT now(),
    updated_at        timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT release_events_season_fkey FOREIGN KEY (season_id, media_id)
        REFERENCES seasons (id, media_id) ON DELETE CASCADE,
    CONSTRAINT release_events_episode_fkey FOREIGN KEY (episode_id, media_id)
        REFERENCES episodes (id, media_id) ON DELETE CASCADE,
    CONSTRAINT release_events_natural_key UNIQUE NULLS NOT DISTINCT
        (media_id, kind, season_id, episode_id, platform_id, region, release_type),
    CONSTRAINT release_events_kind_refs_check CHECK (
        (kind <> 'episode_air' OR episode_id IS NOT NULL)
        AND (kind <> 'season_premiere' OR season_id IS NOT NULL)
        AND (kind IN ('episode_air', 'season_premiere') OR (season_id IS NULL AND episode_id IS NULL))
        AND (kind IN ('game_release', 'dlc_release') OR platform_id IS NULL)
    )
);
CREATE INDEX release_events_release_date_idx ON release_events (release_date);
CREATE INDEX release_events_media_date_idx ON release_events (media_id, release_date);
CREATE INDEX release_events_episode_idx ON release_events (episode_id) WHERE episode_id IS NOT NULL;
CREATE INDEX release_events_season_idx ON release_events (season_id) WHERE season_id IS NOT NULL;
CREATE INDEX release_events_platform_idx ON release_events (platform_id) WHERE platform_id IS NOT NULL;
COMMENT ON TABLE release_events IS 'Release calendar: movie releases, episode airs, season premieres, game and DLC releases.';

-- Latest outcome per scheduled function (catalog syncs, recommendations,
-- calendar fill, reconciler, cleanup). The admin sync-jobs view reads it.
CREATE TABLE sync_state (
    job_name             text        PRIMARY KEY CHECK (job_name ~ '^[a-z][a-z0-9_.:-]*$'),
    last_started_at      timestamptz,
    last_finished_at     timestamptz,
    last_status          text        CHECK (last_status IN ('ok', 'failed', 'running', 'skipped')),
    last_error           text,
    duration_ms          bigint      CHECK (duration_ms >= 0),
    last_success_at      timestamptz,
    consecutive_failures integer     NOT NULL DEFAULT 0 CHECK (consecutive_failures >= 0),
    -- Counts from the last run (items upserted, rows deleted by cleanup, ...).
    stats                jsonb       NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(stats) = 'object'),
    -- Where an incremental job resumes (page, updated-since, ...).
    cursor               jsonb,
    created_at           timestamptz NOT NULL DEFAULT now(),
    updated_at           timestamptz NOT NULL DEFAULT now()
);
COMMENT ON TABLE sync_state IS 'Last run of each scheduled job: status, duration, error, stats, resume cursor.';

-- Run history behind sync_state, so the admin view can show more than the
-- last run and "run now" is recorded with who asked. Pruned by cleanup.
CREATE TABLE sync_runs (
    id              bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    job_name        text        NOT NULL REFERENCES sync_state (job_name) ON DELETE CASCADE,
    trigger         text        NOT NULL DEFAULT 'schedule' CHECK (trigger IN ('schedule', 'manual', 'startup')),
    requested_by    uuid        REFERENCES users (id) ON DELETE SET NULL,
    status          text        NOT NULL DEFAULT 'running' CHECK (status IN ('ok', 'failed', 'running', 'skipped')),
    started_at      timestamptz NOT NULL DEFAULT now(),
    finished_at     timestamptz,
    duration_ms     bigint      CHECK (duration_ms >= 0),
    error           text,
    stats           jsonb       NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(stats) = 'object')
);
CREATE INDEX sync_runs_job_started_idx ON sync_runs (job_name, started_at DESC);
CREATE INDEX sync_runs_started_at_idx ON sync_runs (started_at);
CREATE INDEX sync_runs_requested_by_idx ON sync_runs (requested_by) WHERE requested_by IS NOT NULL;
COMMENT ON TABLE sync_runs IS 'History of scheduled/manual job runs (admin view, cleanup report).';
