-- Catalog depth (issue 23): people and credits, follows of people, ratings from elsewhere (OMDb, IMDb),
-- title logos, episode air times and engagement (title views, collection clicks).
-- The IMDb datasets import keeps its own bookkeeping (0019_imdb_import).
-- depends: 0017_search_words

-- An IMDb id names at most one title, so the import can find a title by it (and a TMDB title that
-- carries it is the same row, not a duplicate). Duplicates from upstream keep the oldest row's link.
UPDATE media_items m SET imdb_id = NULL
WHERE imdb_id IS NOT NULL
  AND EXISTS (SELECT 1 FROM media_items o WHERE o.imdb_id = m.imdb_id AND o.id < m.id);
DROP INDEX media_items_imdb_id_idx;
CREATE UNIQUE INDEX media_items_imdb_id_key ON media_items (imdb_id) WHERE imdb_id IS NOT NULL;

ALTER TABLE media_items
    -- TMDB image path of the title's logo (a transparent wordmark for the detail hero).
    ADD COLUMN logo_path              text,
    -- Lazy artwork backfill (TMDB find by IMDb id) of a title that has no artwork: the last try.
    ADD COLUMN backfill_attempted_at  timestamptz,
    -- OMDb ratings pass: the last successful fetch and the last try (success or not).
    ADD COLUMN ratings_fetched_at     timestamptz,
    ADD COLUMN ratings_attempted_at   timestamptz;
CREATE INDEX media_items_ratings_due_idx ON media_items (ratings_attempted_at NULLS FIRST)
    WHERE imdb_id IS NOT NULL AND media_type <> 'game';

ALTER TABLE episodes
    ADD COLUMN imdb_id text CHECK (imdb_id ~ '^tt[0-9]+$'),
    -- The moment the episode airs, when the network's air time is known (TMDB/TVDB); NULL with an
    -- air_date means a streaming drop or an unknown time: the calendar shows it as "Anytime".
    ADD COLUMN air_at  timestamptz;
CREATE UNIQUE INDEX episodes_imdb_id_key ON episodes (imdb_id) WHERE imdb_id IS NOT NULL;

ALTER TABLE release_events ADD COLUMN release_at timestamptz;
COMMENT ON COLUMN release_events.release_at IS 'The exact moment (episode air time) when known; NULL = any time that day.';

-- IMDb genres that TMDB has no genre for are stored with source imdb.
ALTER TABLE genres DROP CONSTRAINT genres_source_check;
ALTER TABLE genres ADD CONSTRAINT genres_source_check CHECK (source IN ('tmdb', 'igdb', 'local', 'imdb'));
ALTER TABLE genres DROP CONSTRAINT genres_external_id_check;
ALTER TABLE genres ADD CONSTRAINT genres_external_id_check CHECK (source IN ('local', 'imdb') OR external_id IS NOT NULL);

-- People: from TMDB credits (tmdb_id) and the IMDb name.basics dataset (imdb_id); one row per person.
CREATE TABLE people (
    id                   bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    tmdb_id              bigint      CHECK (tmdb_id > 0),
    imdb_id              text        CHECK (imdb_id ~ '^nm[0-9]+$'),
    name                 text        NOT NULL CHECK (btrim(name) <> ''),
    birth_year           smallint,
    death_year           smallint,
    -- TMDB's known_for_department (Acting, Directing, ...) or IMDb's first primaryProfession.
    known_for_department text,
    professions          text[]      NOT NULL DEFAULT '{}',
    biography            text,
    profile_path         text,
    popularity           double precision CHECK (popularity >= 0),
    details_fetched_at   timestamptz,
    details_attempted_at timestamptz,
    created_at           timestamptz NOT NULL DEFAULT now(),
    updated_at           timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX people_tmdb_id_key ON people (tmdb_id) WHERE tmdb_id IS NOT NULL;
CREATE UNIQUE INDEX people_imdb_id_key ON people (imdb_id) WHERE imdb_id IS NOT NULL;
-- People in search: typo tolerant on the name (word_similarity, <%).
CREATE INDEX people_name_trgm_idx ON people USING gin (lower(name) gin_trgm_ops);
COMMENT ON TABLE people IS 'Cast and crew (TMDB people, IMDb names).';

-- Who is in a title. A title's credits come from one source: TMDB's credits replace the IMDb principals
-- (richer: photos, characters, crew departments) and the IMDb import never touches TMDB credits.
CREATE TABLE media_credits (
    media_id    bigint  NOT NULL REFERENCES media_items (id) ON DELETE CASCADE,
    kind        text    NOT NULL CHECK (kind IN ('cast', 'crew')),
    -- Billing order for cast (TMDB order, IMDb ordering), list position for crew.
    ordering    integer NOT NULL CHECK (ordering >= 0),
    person_id   bigint  NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    character   text,
    -- Crew: Director, Screenplay, Original Music Composer, ... (IMDb: the category or job).
    job         text,
    department  text,
    source      text    NOT NULL CHECK (source IN ('tmdb', 'imdb')),
    PRIMARY KEY (media_id, kind, ordering)
);
CREATE INDEX media_credits_person_idx ON media_credits (person_id, media_id);
COMMENT ON TABLE media_credits IS 'Cast and crew of a title (from TMDB credits or IMDb principals).';

-- Follow a person: their new titles appear in the calendar and the "From people you follow" row.
CREATE TABLE user_person_follows (
    user_id    uuid        NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    person_id  bigint      NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (user_id, person_id)
);
CREATE INDEX user_person_follows_person_idx ON user_person_follows (person_id);
COMMENT ON TABLE user_person_follows IS 'People a user follows.';

-- Ratings from elsewhere: IMDb (datasets or OMDb), Rotten Tomatoes and Metacritic (OMDb).
CREATE TABLE media_external_ratings (
    media_id   bigint       NOT NULL REFERENCES media_items (id) ON DELETE CASCADE,
    source     text         NOT NULL CHECK (source IN ('imdb', 'rotten_tomatoes', 'metacritic')),
    -- As the source shows it: "7.8/10", "91%", "74/100".
    value      text         NOT NULL CHECK (btrim(value) <> ''),
    -- The same on 0..100, for sorting and badges.
    score      numeric(5,2) CHECK (score >= 0 AND score <= 100),
    votes      integer      CHECK (votes >= 0),
    updated_at timestamptz  NOT NULL DEFAULT now(),
    PRIMARY KEY (media_id, source)
);
COMMENT ON TABLE media_external_ratings IS 'IMDb, Rotten Tomatoes and Metacritic scores per title.';

-- Curated collections: pinned ones first, then by engagement.
ALTER TABLE discover_sections ADD COLUMN pinned boolean NOT NULL DEFAULT false;

-- What the household opens: a title view or a collection click, once per user per day
-- (a second view the same day is a no-op). Kept for a rolling 7 days.
CREATE TABLE engagement_events (
    day        date        NOT NULL,
    user_id    uuid        NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    kind       text        NOT NULL CHECK (kind IN ('title_view', 'collection_click')),
    media_id   bigint      REFERENCES media_items (id) ON DELETE CASCADE,
    section_id bigint      REFERENCES discover_sections (id) ON DELETE CASCADE,
    created_at timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT engagement_events_key UNIQUE NULLS NOT DISTINCT (kind, day, user_id, media_id, section_id),
    CONSTRAINT engagement_events_target_check CHECK (
        (kind = 'title_view' AND media_id IS NOT NULL AND section_id IS NULL)
        OR (kind = 'collection_click' AND section_id IS NOT NULL))
);
CREATE INDEX engagement_events_day_idx ON engagement_events (day);
CREATE INDEX engagement_events_user_idx ON engagement_events (user_id, day);
CREATE INDEX engagement_events_media_idx ON engagement_events (media_id, day) WHERE media_id IS NOT NULL;
CREATE INDEX engagement_events_section_idx ON engagement_events (section_id, day) WHERE section_id IS NOT NULL;
COMMENT ON TABLE engagement_events IS 'Title views and collection clicks, one per user per day, for 7 days.';
