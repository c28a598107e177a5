-- Scrobbling from media servers (issue 24, item 2): Jellyfin and Plex post play/pause/stop/scrobble events
-- to a per-user secret URL. user_webhooks holds the SHA-256 of each user's current secret (the secret
-- itself is derived from the server key and the generation, so the URL can be shown again and a rotation
-- only bumps the generation); webhook_events remembers every applied event's fingerprint so a replayed
-- delivery changes nothing (kept 30 days).
-- depends: 0018_catalog_depth
CREATE TABLE user_webhooks (
    user_id     uuid        PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    generation  integer     NOT NULL DEFAULT 1 CHECK (generation >= 1),
    secret_hash bytea       NOT NULL UNIQUE CHECK (octet_length(secret_hash) = 32),
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now()
);
COMMENT ON TABLE user_webhooks IS 'Per-user media-server webhook secret (its SHA-256) and generation.';

CREATE TABLE webhook_events (
    user_id     uuid        NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    source      text        NOT NULL CHECK (source IN ('jellyfin', 'plex')),
    fingerprint bytea       NOT NULL CHECK (octet_length(fingerprint) = 32),
    received_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (user_id, source, fingerprint)
);
CREATE INDEX webhook_events_received_idx ON webhook_events (received_at);
COMMENT ON TABLE webhook_events IS 'Applied media-server events (replays are recognised and ignored).';
