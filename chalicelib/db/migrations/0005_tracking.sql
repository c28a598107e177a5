-- Per-user tracking: preferences, watch later, watch history, resume points,
-- ratings, favorites, follows, game backlog and personal collections.
-- depends: 0004_discover_calendar_sync

-- Conventions for this file:
-- * Deleting a user cascades to everything here. Deleting a catalog row also
--   cascades: media rows are only deleted deliberately (demo purge, merge), and
--   a tracking row without its title means nothing. A merge must repoint
--   user rows before deleting the duplicate.
-- * Where both media_id and episode_id are stored, (episode_id, media_id)
--   references episodes (id, media_id), so "an episode of another show" cannot
--   be written. Where a table only makes sense for one media type, a fixed
--   media_type column plus a composite key pins it (follows -> show,
--   game status -> game).

CREATE TABLE user_preferences (
    user_id                   uuid        PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    watched_threshold_percent smallint    NOT NULL DEFAULT 90 CHECK (watched_threshold_percent BETWEEN 50 AND 100),
    autoplay_next             boolean     NOT NULL DEFAULT true,
    -- BCP 47-ish language tags; NULL subtitle language = subtitles off.
    subtitle_language         text        CHECK (subtitle_language ~ '^[A-Za-z]{2,3}([-_][A-Za-z0-9]{2,8})*$'),
    audio_language            text        CHECK (audio_language ~ '^[A-Za-z]{2,3}([-_][A-Za-z0-9]{2,8})*$'),
    theme                     text        NOT NULL DEFAULT 'dark' CHECK (theme IN ('dark', 'light', 'system')),
    -- ISO 3166-1 alpha-2, for release dates.
    region                    text        CHECK (region ~ '^[A-Z]{2}$'),
    -- sha256 of the secret iCal feed token; rotating replaces it. Unique so
    -- the feed finds its user with one index probe.
    calendar_token_hash       bytea       UNIQUE CHECK (octet_length(calendar_token_hash) = 32),
    calendar_token_created_at timestamptz,
    onboarded_at              timestamptz,
    created_at                timestamptz NOT NULL DEFAULT now(),
    updated_at                timestamptz NOT NULL DEFAULT now()
);
COMMENT ON TABLE user_preferences IS 'Per-user settings (one row per user, created lazily; absent row = defaults).';

-- Favorite genres picked during onboarding and in settings (a link table
-- rather than an id array, so genre ids are checked and joinable).
CREATE TABLE user_favorite_genres (
    user_id         uuid        NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    genre_id        bigint      NOT NULL REFERENCES genres (id) ON DELETE CASCADE,
    created_at      timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (user_id, genre_id)
);
CREATE INDEX user_favorite_genres_genre_idx ON user_favorite_genres (genre_id);

-- Watch later. Order: position ascending, then created_at (= added) newest
-- first. New rows get position 0, so they show on top; a reorder rewrites
-- positions 1..n for the list.
CREATE TABLE user_watch_later (
    user_id         uuid        NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    media_id        bigint      NOT NULL REFERENCES media_items (id) ON DELETE CASCADE,
    position        integer     NOT NULL DEFAULT 0 CHECK (position >= 0),
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (user_id, media_id)
);
CREATE INDEX user_watch_later_order_idx ON user_watch_later (user_id, position, created_at DESC);
CREATE INDEX user_watch_later_updated_idx ON user_watch_later (user_id, updated_at);
CREATE INDEX user_watch_later_media_idx ON user_watch_later (media_id);
COMMENT ON TABLE user_watch_later IS 'Watch-later list (movies, shows, games), manually reorderable.';

-- Watch history: one row per watch, rewatches are new rows. episode_id is
-- NULL for a movie (or a game/show-level mark).
CREATE TABLE user_watched (
    id              uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
    user_id         uuid        NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    media_id        bigint      NOT NULL REFERENCES media_items (id) ON DELETE CASCADE,
    episode_id      bigint,
    watched_at      timestamptz NOT NULL DEFAULT now(),
    source          text        NOT NULL DEFAULT 'manual' CHECK (source IN ('manual', 'player', 'import')),
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT user_watched_episode_fkey FOREIGN KEY (episode_id, media_id)
        REFERENCES episodes (id, media_id) ON DELETE CASCADE
);
CREATE INDEX user_watched_history_idx ON user_watched (user_id, watched_at DESC, id);
CREATE INDEX user_watched_media_idx ON user_watched (user_id, media_id, episode_id);
CREATE INDEX user_watched_updated_idx ON user_watched (user_id, updated_at);
CREATE INDEX user_watched_media_id_idx ON user_watched (media_id);
CREATE INDEX user_watched_episode_idx ON user_watched (episode_id) WHERE episode_id IS NOT NULL;
COMMENT ON TABLE user_watched IS 'Watch history, one row per watch (rewatches allowed).';

-- Resume points, one per (user, media, episode); episode_id NULL for movies,
-- hence UNIQUE NULLS NOT DISTINCT (usable as an ON CONFLICT target).
-- completed_at is set when the watched threshold was reached and the history
-- row written: a repeated heartbeat at the same position sees it and writes
-- no second history row; continue-watching lists rows with completed_at NULL.
-- A new heartbeat below the threshold (a rewatch) clears it.
CREATE TABLE user_progress (
    id               bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id          uuid        NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    media_id         bigint      NOT NULL REFERENCES media_items (id) ON DELETE CASCADE,
    episode_id       bigint,
    -- numeric rejects Infinity at this precision; the CHECK rejects NaN
    -- (NaN sorts above every number, so ">= 0" alone would accept it).
    position_seconds numeric(9,2) NOT NULL CHECK (position_seconds >= 0 AND position_seconds <> 'NaN'),
    duration_seconds numeric(9,2) CHECK (duration_seconds > 0 AND duration_seconds <> 'NaN'),
    completed_at     timestamptz,
    created_at       timestamptz NOT NULL DEFAULT now(),
    updated_at       timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT user_progress_episode_fkey FOREIGN KEY (episode_id, media_id)
        REFERENCES episodes (id, media_id) ON DELETE CASCADE,
    CONSTRAINT user_progress_item_key UNIQUE NULLS NOT DISTINCT (user_id, media_id, episode_id)
);
CREATE INDEX user_progress_updated_idx ON user_progress (user_id, updated_at);
CREATE INDEX user_progress_continue_idx ON user_progress (user_id, updated_at DESC) WHERE completed_at IS NULL;
CREATE INDEX user_progress_media_idx ON user_progress (media_id);
CREATE INDEX user_progress_episode_idx ON user_progress (episode_id) WHERE episode_id IS NOT NULL;
COMMENT ON TABLE user_progress IS 'Resume points per movie/episode (player heartbeats); feeds continue watching.';

CREATE TABLE user_ratings (
    user_id         uuid         NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    media_id        bigint       NOT NULL REFERENCES media_items (id) ON DELETE CASCADE,
    -- 1 to 10 in half steps.
    rating          numeric(3,1) NOT NULL CHECK (rating >= 1 AND rating <= 10 AND rating * 2 = floor(rating * 2)),
    created_at      timestamptz  NOT NULL DEFAULT now(),
    updated_at      timestamptz  NOT NULL DEFAULT now(),
    PRIMARY KEY (user_id, media_id)
);
CREATE INDEX user_ratings_updated_idx ON user_ratings (user_id, updated_at);
CREATE INDEX user_ratings_user_rating_idx ON user_ratings (user_id, rating DESC);
CREATE INDEX user_ratings_media_idx ON user_ratings (media_id);
COMMENT ON TABLE user_ratings IS 'Personal ratings, 1-10 in half steps.';

CREATE TABLE user_favorites (
    user_id         uuid        NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    media_id        bigint      NOT NULL REFERENCES media_items (id) ON DELETE CASCADE,
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (user_id, media_id)
);
CREATE INDEX user_favorites_updated_idx ON user_favorites (user_id, updated_at);
CREATE INDEX user_favorites_media_idx ON user_favorites (media_id);
COMMENT ON TABLE user_favorites IS 'Favorite titles.';

-- Explicit follow/mute of a show. Implicit following (watching a show that
-- is still airing) is derived at read time; a mute row always wins.
CREATE TABLE user_follows (
    user_id         uuid        NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    media_id        bigint      NOT NULL,
    media_type      text        NOT NULL DEFAULT 'show' CHECK (media_type = 'show'),
    state           text        NOT NULL CHECK (state IN ('follow', 'mute')),
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (user_id, media_id),
    CONSTRAINT user_follows_media_fkey FOREIGN KEY (media_id, media_type)
        REFERENCES media_items (id, media_type) ON DELETE CASCADE
);
CREATE INDEX user_follows_updated_idx ON user_follows (user_id, updated_at);
CREATE INDEX user_follows_media_idx ON user_follows (media_id);
COMMENT ON TABLE user_follows IS 'Explicit follow or mute of a show (calendar input).';

CREATE TABLE user_game_status (
    user_id            uuid         NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    media_id           bigint       NOT NULL,
    media_type         text         NOT NULL DEFAULT 'game' CHECK (media_type = 'game'),
    status             text         NOT NULL CHECK (status IN ('active', 'paused', 'completed', 'wishlist', 'dropped')),
    hours_played       numeric(7,1) NOT NULL DEFAULT 0 CHECK (hours_played >= 0),
    completion_percent numeric(5,2) CHECK (completion_percent >= 0 AND completion_percent <= 100),
    started_on         date,
    finished_on        date,
    platform_id        bigint       REFERENCES platforms (id) ON DELETE SET NULL,
    -- Dashboard "recently played games".
    last_played_at     timestamptz,
    created_at         timestamptz  NOT NULL DEFAULT now(),
    updated_at         timestamptz  NOT NULL DEFAULT now(),
    PRIMARY KEY (user_id, media_id),
    CONSTRAINT user_game_status_media_fkey FOREIGN KEY (media_id, media_type)
        REFERENCES media_items (id, media_type) ON DELETE CASCADE,
    CONSTRAINT user_game_status_dates_check CHECK (finished_on IS NULL OR started_on IS NULL OR finished_on >= started_on)
);
CREATE INDEX user_game_status_status_idx ON user_game_status (user_id, status, updated_at DESC);
CREATE INDEX user_game_status_updated_idx ON user_game_status (user_id, updated_at);
CREATE INDEX user_game_status_played_idx ON user_game_status (user_id, last_played_at DESC NULLS LAST);
CREATE INDEX user_game_status_media_idx ON user_game_status (media_id);
CREATE INDEX user_game_status_platform_idx ON user_game_status (platform_id) WHERE platform_id IS NOT NULL;
COMMENT ON TABLE user_game_status IS 'Game backlog: status, hours, completion, dates, platform.';

CREATE TABLE collections (
    id              uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
    user_id         uuid        NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    name            text        NOT NULL CHECK (char_length(btrim(name)) BETWEEN 1 AND 200),
    description     text        CHECK (char_length(description) <= 5000),
    position        integer     NOT NULL DEFAULT 0 CHECK (position >= 0),
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now()
);
-- A user cannot have two collections with the same name (case-insensitive):
-- create/rename answers 409.
CREATE UNIQUE INDEX collections_user_name_key ON collections (user_id, lower(name));
CREATE INDEX collections_updated_idx ON collections (user_id, updated_at);
COMMENT ON TABLE collections IS 'Personal collections of any media type.';

-- Child of collections: ownership comes from the collection (looked up by
-- (id, user_id)), so items carry no user_id of their own.
CREATE TABLE collection_items (
    collection_id   uuid        NOT NULL REFERENCES collections (id) ON DELETE CASCADE,
    media_id        bigint      NOT NULL REFERENCES media_items (id) ON DELETE CASCADE,
    position        integer     NOT NULL DEFAULT 0 CHECK (position >= 0),
    note            text        CHECK (char_length(note) <= 2000),
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (collection_id, media_id)
);
CREATE INDEX collection_items_order_idx ON collection_items (collection_id, position, created_at);
CREATE INDEX collection_items_media_idx ON collection_items (media_id);
COMMENT ON TABLE collection_items IS 'Items of a collection, ordered by position.';
