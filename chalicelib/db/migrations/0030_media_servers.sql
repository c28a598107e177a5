-- Media servers as library sources (issue 36): an admin adds a Jellyfin or Plex server, a sync mirrors what
-- it holds. Each mirrored movie, show, season and episode is one row keyed (server, the server's own id),
-- linked to the catalog title (and episode) it matched, so "owned" is a join and a rescan prunes by what the
-- server no longer reports.
CREATE TABLE media_servers (
    id                 uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
    kind               text        NOT NULL CHECK (kind IN ('jellyfin', 'plex')),
    name               text        NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
    url                text        NOT NULL,
    -- The API key (Jellyfin) or token (Plex), encrypted like the other instance secrets.
    token_ciphertext   bytea       NOT NULL,
    key_id             text        NOT NULL,
    -- LAN and loopback addresses are refused unless the admin allows them for this server.
    allow_private      boolean     NOT NULL DEFAULT false,
    enabled            boolean     NOT NULL DEFAULT true,
    -- What the server said of itself on the last test or sync (its id builds the deep links).
    remote_id          text,
    remote_name        text,
    remote_version     text,
    created_at         timestamptz NOT NULL DEFAULT now(),
    updated_at         timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX media_servers_name_key ON media_servers (lower(name));

CREATE TABLE media_server_syncs (
    id          uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
    server_id   uuid        NOT NULL REFERENCES media_servers (id) ON DELETE CASCADE,
    status      text        NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'running', 'completed', 'failed')),
    trigger     text        NOT NULL CHECK (trigger IN ('manual', 'schedule')),
    requested_at timestamptz NOT NULL DEFAULT now(),
    started_at  timestamptz,
    finished_at timestamptz,
    added       integer     NOT NULL DEFAULT 0,
    updated     integer     NOT NULL DEFAULT 0,
    pruned      integer     NOT NULL DEFAULT 0,
    unmatched   integer     NOT NULL DEFAULT 0,
    failed      integer     NOT NULL DEFAULT 0,
    error       text
);
CREATE INDEX media_server_syncs_server_idx ON media_server_syncs (server_id, requested_at DESC);
-- At most one sync of a server waiting or running: a second request answers the first one's id.
CREATE UNIQUE INDEX media_server_syncs_active_key ON media_server_syncs (server_id)
    WHERE status IN ('queued', 'running');

CREATE TABLE media_server_items (
    server_id       uuid        NOT NULL REFERENCES media_servers (id) ON DELETE CASCADE,
    item_id         text        NOT NULL,
    kind            text        NOT NULL CHECK (kind IN ('movie', 'show', 'season', 'episode')),
    -- The show's item for a season or an episode.
    parent_item_id  text,
    title           text        NOT NULL,
    year            integer,
    season_number   integer,
    episode_number  integer,
    provider_ids    jsonb       NOT NULL DEFAULT '{}',
    -- The server's own facts (genres, tagline, ratings, air dates, status...), as it reported them.
    facts           jsonb       NOT NULL DEFAULT '{}',
    playable        boolean     NOT NULL DEFAULT false,
    -- Where the item opens in the server's own web app (made by the sync, which knows the server's kind).
    open_url        text        NOT NULL,
    media_id        bigint      REFERENCES media_items (id) ON DELETE SET NULL,
    episode_id      bigint      REFERENCES episodes (id) ON DELETE SET NULL,
    -- A hash of what was stored: an unchanged item is not rewritten (or counted as updated).
    fingerprint     text        NOT NULL,
    last_sync_id    uuid        NOT NULL,
    updated_at      timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (server_id, item_id)
);
CREATE INDEX media_server_items_media_idx ON media_server_items (media_id) WHERE media_id IS NOT NULL;
CREATE INDEX media_server_items_episode_idx ON media_server_items (episode_id) WHERE episode_id IS NOT NULL;
COMMENT ON TABLE media_server_items IS 'What each media server holds, mirrored by its sync and matched to the catalog.';

-- Episodes of owned shows reach the calendar from their stored episodes, as source 'mediaserver'.
ALTER TABLE release_events DROP CONSTRAINT release_events_source_check,
    ADD CONSTRAINT release_events_source_check CHECK (source IN ('tmdb', 'igdb', 'demo', 'mediaserver'));
