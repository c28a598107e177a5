-- Indexers (Torznab/Newznab endpoints an admin configures: Prowlarr, Jackett...) and the search cache (issue 19).
-- depends: 0010_download_queued_reason

-- The API key is encrypted by the service (Fernet, SEEN_SETTINGS_KEY, like instance_settings secrets;
-- key_id names the key) and never returned by the API. caps: what the indexer's t=caps said it supports
-- (search modes and their parameters, categories, page limits), read by the admin's "test" or the first
-- search; NULL = not read yet.
CREATE TABLE indexers (
    id                 uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
    name               text        NOT NULL CHECK (btrim(name) <> '' AND length(name) <= 100),
    url                text        NOT NULL CHECK (url ~ '^https?://' AND length(url) <= 2048),
    api_key_ciphertext bytea,
    key_id             text,
    categories         integer[]   NOT NULL DEFAULT '{}',
    enabled            boolean     NOT NULL DEFAULT true,
    caps               jsonb       CHECK (caps IS NULL OR jsonb_typeof(caps) = 'object'),
    caps_checked_at    timestamptz,
    created_at         timestamptz NOT NULL DEFAULT now(),
    updated_at         timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT indexers_key_check CHECK ((api_key_ciphertext IS NULL) = (key_id IS NULL))
);
CREATE UNIQUE INDEX indexers_name_key ON indexers (lower(name));
COMMENT ON TABLE indexers IS 'Torznab indexers (admin settings); the API key is encrypted and write-only.';

-- Ranked search answers, shared by every user with the same quality profile (the key hashes media,
-- season/episode, profile and the enabled indexers). Redis holds the hot copy; this table keeps them
-- when Redis is down or evicts. Expired rows are purged as new ones are written.
CREATE TABLE search_cache (
    key        text        PRIMARY KEY CHECK (length(key) <= 200),
    payload    jsonb       NOT NULL,
    expires_at timestamptz NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX search_cache_expires_at_idx ON search_cache (expires_at);
COMMENT ON TABLE search_cache IS 'Source search answers kept 10-30 minutes (key = media + S/E + profile + indexers).';
