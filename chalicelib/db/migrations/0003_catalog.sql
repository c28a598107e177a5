-- Catalog: movies, shows (seasons, episodes) and games, with genres,
-- platforms, franchises and relations (DLC, similar, recommended).
-- depends: 0002_users_sessions

-- One row per movie, show or game, from TMDB (movies, shows), IGDB (games) or
-- the bundled demo catalog. Demo rows carry the real tmdb_id/igdb_id, so a
-- later sync upserts onto the same row instead of duplicating it.
CREATE TABLE media_items (
    id                   bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    media_type           text        NOT NULL CHECK (media_type IN ('movie', 'show', 'game')),
    tmdb_id              bigint      CHECK (tmdb_id > 0),
    igdb_id              bigint      CHECK (igdb_id > 0),
    imdb_id              text        CHECK (imdb_id ~ '^tt[0-9]+$'),
    tvdb_id              bigint      CHECK (tvdb_id > 0),
    title                text        NOT NULL CHECK (btrim(title) <> ''),
    original_title       text,
    -- A-z sort key: lower-case, leading English article dropped.
    sort_title           text        GENERATED ALWAYS AS (
                                        regexp_replace(lower(title), '^(the|an|a)[[:space:]]+', '')
                                     ) STORED,
    overview             text,
    tagline              text,
    -- Movie release, show first air date, game first release.
    release_date         date,
    year                 smallint    GENERATED ALWAYS AS (extract(year FROM release_date)::smallint) STORED,
    -- Shows only: the latest aired episode date.
    last_air_date        date,
    -- Movies: runtime. Shows: typical episode runtime. Games: unused.
    runtime_minutes      integer     CHECK (runtime_minutes > 0),
    poster_path          text,
    backdrop_path        text,
    popularity           double precision CHECK (popularity >= 0),
    -- Normalised to 0..10 (IGDB ratings are 0..100 upstream).
    vote_average         numeric(4,2) CHECK (vote_average >= 0 AND vote_average <= 10),
    vote_count           integer     NOT NULL DEFAULT 0 CHECK (vote_count >= 0),
    status               text        CHECK (status IN (
                                        'rumored', 'planned', 'in_production', 'post_production',
                                        'released', 'returning', 'ended', 'canceled',
                                        'early_access', 'offline', 'delisted')),
    original_language    text        CHECK (original_language ~ '^[a-z]{2,3}$'),
    adult                boolean     NOT NULL DEFAULT false,
    is_demo              boolean     NOT NULL DEFAULT false,
    -- Lazy detail fetch: details_fetched_at is the last successful fetch,
    -- details_attempted_at the last try (success or not); a view only triggers
    -- a fetch when the attempt is older than the cooldown.
    details_fetched_at   timestamptz,
    details_attempted_at timestamptz,
    -- Upstream data without a column of its own (raw status, videos,
    -- certifications, cast, screenshots, IGDB category, ...).
    extra                jsonb       NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(extra) = 'object'),
    search_tsv           tsvector    GENERATED ALWAYS AS (
                                        to_tsvector('simple', coalesce(title, '') || ' ' || coalesce(original_title, ''))
                                     ) STORED,
    created_at           timestamptz NOT NULL DEFAULT now(),
    updated_at           timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT media_items_tmdb_key UNIQUE (media_type, tmdb_id),
    CONSTRAINT media_items_igdb_key UNIQUE (media_type, igdb_id),
    -- Target of composite foreign keys that pin a child to one media type
    -- (seasons -> show, user_game_status -> game, ...).
    CONSTRAINT media_items_id_type_key UNIQUE (id, media_type),
    CONSTRAINT media_items_source_ids_check CHECK (
        (media_type = 'game' AND tmdb_id IS NULL)
        OR (media_type <> 'game' AND igdb_id IS NULL)
    )
);
-- Search: exact and prefix via the btree, fuzzy (typos) via trigrams, words
-- via full text. Queries must use lower(title) to hit the first two.
CREATE INDEX media_items_title_trgm_idx ON media_items USING gin (lower(title) gin_trgm_ops);
CREATE INDEX media_items_title_prefix_idx ON media_items (lower(title) text_pattern_ops);
CREATE INDEX media_items_search_tsv_idx ON media_items USING gin (search_tsv);
CREATE INDEX media_items_type_release_idx ON media_items (media_type, release_date);
CREATE INDEX media_items_popularity_idx ON media_items (popularity DESC NULLS LAST);
CREATE INDEX media_items_type_popularity_idx ON media_items (media_type, popularity DESC NULLS LAST);
CREATE INDEX media_items_type_vote_idx ON media_items (media_type, vote_average DESC NULLS LAST);
CREATE INDEX media_items_type_sort_title_idx ON media_items (media_type, sort_title);
CREATE INDEX media_items_imdb_id_idx ON media_items (imdb_id) WHERE imdb_id IS NOT NULL;
CREATE INDEX media_items_tvdb_id_idx ON media_items (tvdb_id) WHERE tvdb_id IS NOT NULL;
COMMENT ON TABLE media_items IS 'Catalog: one row per movie, show or game (TMDB, IGDB or demo).';
COMMENT ON COLUMN media_items.status IS 'Normalised upstream status. TMDB: Rumored, Planned, In Production (and Pilot), Post Production, Released, Returning Series -> returning, Ended, Canceled. IGDB: released, alpha/beta/early_access -> early_access, offline, cancelled -> canceled, rumored, delisted. NULL when unknown.';

-- Seasons of a show. media_type is fixed to show so the composite foreign key
-- rejects seasons attached to a movie or a game.
CREATE TABLE seasons (
    id              bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    media_id        bigint      NOT NULL,
    media_type      text        NOT NULL DEFAULT 'show' CHECK (media_type = 'show'),
    tmdb_id         bigint      CHECK (tmdb_id > 0),
    -- 0 is TMDB's Specials season.
    season_number   integer     NOT NULL CHECK (season_number >= 0),
    name            text,
    overview        text,
    air_date        date,
    poster_path     text,
    episode_count   integer     CHECK (episode_count >= 0),
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT seasons_media_fkey FOREIGN KEY (media_id, media_type)
        REFERENCES media_items (id, media_type) ON DELETE CASCADE,
    CONSTRAINT seasons_media_season_key UNIQUE (media_id, season_number),
    -- Lets episodes reference (season, show, number) and stay consistent.
    CONSTRAINT seasons_id_media_number_key UNIQUE (id, media_id, season_number),
    CONSTRAINT seasons_id_media_key UNIQUE (id, media_id)
);
COMMENT ON TABLE seasons IS 'Seasons of a show (season 0 = specials).';

-- Episodes keep media_id (the show) and season_number next to season_id so
-- the hot lookups (show progress, next episode, scanner S01E02 matching) need
-- no join. The composite foreign key keeps the copies consistent (and, via
-- seasons, guarantees media_id is a show).
CREATE TABLE episodes (
    id              bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    media_id        bigint      NOT NULL,
    season_id       bigint      NOT NULL,
    season_number   integer     NOT NULL CHECK (season_number >= 0),
    episode_number  integer     NOT NULL CHECK (episode_number >= 0),
    -- Anime-style absolute numbering across seasons, when known.
    absolute_number integer     CHECK (absolute_number > 0),
    tmdb_id         bigint      CHECK (tmdb_id > 0),
    name            text,
    overview        text,
    air_date        date,
    runtime_minutes integer     CHECK (runtime_minutes > 0),
    still_path      text,
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT episodes_season_fkey FOREIGN KEY (season_id, media_id, season_number)
        REFERENCES seasons (id, media_id, season_number) ON DELETE CASCADE,
    CONSTRAINT episodes_media_season_episode_key UNIQUE (media_id, season_number, episode_number),
    -- Target of (episode_id, media_id) foreign keys: "this episode belongs to
    -- that show" is enforced by the database wherever both are stored.
    CONSTRAINT episodes_id_media_key UNIQUE (id, media_id)
);
CREATE INDEX episodes_air_date_idx ON episodes (air_date);
CREATE INDEX episodes_season_id_idx ON episodes (season_id);
CREATE INDEX episodes_media_absolute_idx ON episodes (media_id, absolute_number) WHERE absolute_number IS NOT NULL;
CREATE INDEX episodes_media_air_date_idx ON episodes (media_id, air_date);
COMMENT ON TABLE episodes IS 'Episodes of a show; (media_id, season_number, episode_number) is the natural key.';

-- Genres from TMDB (movie and TV lists share ids, e.g. 18 Drama) and IGDB
-- (genres and themes have separate id spaces, hence kind). One row per
-- upstream genre; media_types says which lists it appears in.
CREATE TABLE genres (
    id              bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    source          text        NOT NULL CHECK (source IN ('tmdb', 'igdb', 'local')),
    kind            text        NOT NULL DEFAULT 'genre' CHECK (kind IN ('genre', 'theme')),
    external_id     bigint,
    name            text        NOT NULL CHECK (btrim(name) <> ''),
    slug            text        NOT NULL CHECK (slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$'),
    media_types     text[]      NOT NULL CHECK (
                                    cardinality(media_types) >= 1
                                    AND media_types <@ ARRAY['movie', 'show', 'game']::text[]),
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT genres_external_key UNIQUE (source, kind, external_id),
    CONSTRAINT genres_slug_key UNIQUE (source, kind, slug),
    CONSTRAINT genres_external_id_check CHECK (source = 'local' OR external_id IS NOT NULL)
);
CREATE INDEX genres_slug_idx ON genres (slug);
COMMENT ON TABLE genres IS 'Genres (and IGDB themes). The same slug may exist per source, so a slug filter can span movies, shows and games.';

CREATE TABLE media_genres (
    media_id        bigint      NOT NULL REFERENCES media_items (id) ON DELETE CASCADE,
    genre_id        bigint      NOT NULL REFERENCES genres (id) ON DELETE CASCADE,
    PRIMARY KEY (media_id, genre_id)
);
CREATE INDEX media_genres_genre_idx ON media_genres (genre_id, media_id);

CREATE TABLE platforms (
    id              bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    igdb_id         bigint      UNIQUE CHECK (igdb_id > 0),
    name            text        NOT NULL CHECK (btrim(name) <> ''),
    abbreviation    text,
    slug            text        NOT NULL UNIQUE CHECK (slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$'),
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now()
);
COMMENT ON TABLE platforms IS 'Game platforms (IGDB).';

-- Which platforms a game is on, with its earliest release there. Per-region
-- release dates live in release_events.
CREATE TABLE media_platforms (
    media_id          bigint    NOT NULL,
    media_type        text      NOT NULL DEFAULT 'game' CHECK (media_type = 'game'),
    platform_id       bigint    NOT NULL REFERENCES platforms (id) ON DELETE CASCADE,
    release_date      date,
    release_precision text      CHECK (release_precision IN ('exact', 'month', 'quarter', 'year', 'tbd')),
    PRIMARY KEY (media_id, platform_id),
    CONSTRAINT media_platforms_media_fkey FOREIGN KEY (media_id, media_type)
        REFERENCES media_items (id, media_type) ON DELETE CASCADE
);
CREATE INDEX media_platforms_platform_idx ON media_platforms (platform_id, media_id);

-- IGDB franchises/collections and TMDB movie collections.
CREATE TABLE franchises (
    id              bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    source          text        NOT NULL CHECK (source IN ('tmdb', 'igdb', 'local')),
    external_id     bigint,
    name            text        NOT NULL CHECK (btrim(name) <> ''),
    slug            text,
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT franchises_external_key UNIQUE (source, external_id),
    CONSTRAINT franchises_external_id_check CHECK (source = 'local' OR external_id IS NOT NULL)
);
COMMENT ON TABLE franchises IS 'Franchises (IGDB) and collections (TMDB), e.g. for "Same franchise as ..." reasons.';

CREATE TABLE media_franchises (
    media_id        bigint      NOT NULL REFERENCES media_items (id) ON DELETE CASCADE,
    franchise_id    bigint      NOT NULL REFERENCES franchises (id) ON DELETE CASCADE,
    -- IGDB distinguishes the main franchise from secondary ones.
    is_primary      boolean     NOT NULL DEFAULT false,
    PRIMARY KEY (media_id, franchise_id)
);
CREATE INDEX media_franchises_franchise_idx ON media_franchises (franchise_id, media_id);

-- Directed relations. For dlc/expansion/standalone_expansion media_id is the
-- base game and related_media_id the add-on. For similar/recommended
-- media_id is the title whose page lists related_media_id, ranked by position.
CREATE TABLE media_relations (
    media_id         bigint      NOT NULL REFERENCES media_items (id) ON DELETE CASCADE,
    relation         text        NOT NULL CHECK (relation IN (
                                     'dlc', 'expansion', 'standalone_expansion', 'similar', 'recommended')),
    related_media_id bigint      NOT NULL REFERENCES media_items (id) ON DELETE CASCADE,
    source           text        NOT NULL CHECK (source IN ('tmdb', 'igdb', 'local')),
    position         integer     NOT NULL DEFAULT 0 CHECK (position >= 0),
    created_at       timestamptz NOT NULL DEFAULT now(),
    updated_at       timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (media_id, relation, related_media_id),
    CONSTRAINT media_relations_not_self_check CHECK (media_id <> related_media_id)
);
CREATE INDEX media_relations_related_idx ON media_relations (related_media_id, relation);
COMMENT ON TABLE media_relations IS 'Parent/child (DLC, expansions) and similar/recommended links between catalog items.';
