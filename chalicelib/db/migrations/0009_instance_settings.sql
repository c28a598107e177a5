-- Instance-wide settings edited by admins.
-- depends: 0008_recommendations

-- Plain settings (library roots, download limits, retention days, ...) live in
-- value. Secrets (TMDB key, Twitch/IGDB client secret, ...) live only in
-- secret_ciphertext, encrypted by the service with a key from configuration
-- (key_id names it, for rotation) and are never returned by the API, only
-- "set / not set". Keys are validated against a known list by the service,
-- the CHECK only keeps them tidy. Clients notice changes by updated_at.
-- Worker heartbeats and live telemetry are in DynamoDB, not here.
CREATE TABLE instance_settings (
    key               text        PRIMARY KEY CHECK (key ~ '^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)*$'),
    value             jsonb,
    is_secret         boolean     NOT NULL DEFAULT false,
    secret_ciphertext bytea,
    key_id            text,
    created_at        timestamptz NOT NULL DEFAULT now(),
    updated_at        timestamptz NOT NULL DEFAULT now(),
    updated_by        uuid        REFERENCES users (id) ON DELETE SET NULL,
    CONSTRAINT instance_settings_secret_check CHECK (
        (is_secret AND value IS NULL)
        OR (NOT is_secret AND secret_ciphertext IS NULL AND key_id IS NULL)
    )
);
CREATE INDEX instance_settings_updated_by_idx ON instance_settings (updated_by) WHERE updated_by IS NOT NULL;
COMMENT ON TABLE instance_settings IS 'Admin-only instance settings; secrets encrypted, write-only through the API.';
