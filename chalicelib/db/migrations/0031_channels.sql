-- YouTube channels beside shows (issue 36): a household follows channels; a feed refresh reads each channel's
-- public Atom feed and stores its videos as catalog titles of their own (media_type 'video'), so watched, watch
-- later, progress, Get and the library work for a video by its media id as for a movie.
ALTER TABLE media_items DROP CONSTRAINT media_items_media_type_check,
    ADD CONSTRAINT media_items_media_type_check CHECK (media_type IN ('movie', 'show', 'game', 'video'));

CREATE TABLE channels (
    id               uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
    -- YouTube's channel id ("UC" + 22 characters): the feed's key.
    youtube_id       text        NOT NULL UNIQUE CHECK (youtube_id ~ '^UC[A-Za-z0-9_-]{22}$'),
    title            text        NOT NULL CHECK (length(title) BETWEEN 1 AND 300),
    handle           text        CHECK (handle ~ '^@[A-Za-z0-9._-]{1,100}$'),
    thumbnail_url    text,
    -- The feed's validators: a refresh asks If-None-Match / If-Modified-Since.
    etag             text,
    last_modified    text,
    checked_at       timestamptz,
    next_check_at    timestamptz NOT NULL DEFAULT now(),
    -- The last refresh's failure (a code such as feed_unreachable), cleared by the next success.
    last_error       text,
    failures         integer     NOT NULL DEFAULT 0 CHECK (failures >= 0),
    created_at       timestamptz NOT NULL DEFAULT now(),
    updated_at       timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX channels_next_check_idx ON channels (next_check_at);

CREATE TABLE channel_follows (
    user_id      uuid        NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    channel_id   uuid        NOT NULL REFERENCES channels (id) ON DELETE CASCADE,
    -- Keep this many of the newest videos downloaded (0: only what the user Gets by hand).
    keep_newest  integer     NOT NULL DEFAULT 0 CHECK (keep_newest BETWEEN 0 AND 50),
    created_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (user_id, channel_id)
);
CREATE INDEX channel_follows_channel_idx ON channel_follows (channel_id);

CREATE TABLE channel_videos (
    media_id       bigint      PRIMARY KEY,
    media_type     text        NOT NULL DEFAULT 'video' CHECK (media_type = 'video'),
    channel_id     uuid        NOT NULL REFERENCES channels (id) ON DELETE CASCADE,
    youtube_id     text        NOT NULL UNIQUE CHECK (youtube_id ~ '^[A-Za-z0-9_-]{11}$'),
    url            text        NOT NULL,
    thumbnail_url  text,
    published_at   timestamptz NOT NULL,
    views          bigint      CHECK (views >= 0),
    created_at     timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT channel_videos_media_fkey FOREIGN KEY (media_id, media_type)
        REFERENCES media_items (id, media_type) ON DELETE CASCADE
);
CREATE INDEX channel_videos_channel_idx ON channel_videos (channel_id, published_at DESC);
COMMENT ON TABLE channel_videos IS 'Videos of followed channels, from their Atom feeds; each is a media_items row.';

-- A video's publication is a calendar event of the channel's followers.
ALTER TABLE release_events DROP CONSTRAINT release_events_kind_check,
    ADD CONSTRAINT release_events_kind_check CHECK (kind IN (
        'movie_release', 'episode_air', 'season_premiere', 'game_release', 'dlc_release', 'video_release'));
ALTER TABLE release_events DROP CONSTRAINT release_events_source_check,
    ADD CONSTRAINT release_events_source_check CHECK (source IN ('tmdb', 'igdb', 'demo', 'mediaserver', 'channel'));

-- Get for a video: yt-dlp in the home worker.
ALTER TABLE download_jobs DROP CONSTRAINT download_jobs_source_type_check,
    ADD CONSTRAINT download_jobs_source_type_check CHECK (source_type IN ('magnet', 'torrent', 'direct', 'http', 'video'));
