-- Lists as collections (issue 38 item 5): a collection can mirror a public Trakt, Letterboxd or IMDb list,
-- synced on request and on a schedule. One source row per imported collection (none for hand-made ones).
CREATE TABLE collection_sources (
    collection_id   uuid        PRIMARY KEY REFERENCES collections (id) ON DELETE CASCADE,
    user_id         uuid        NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    kind            text        NOT NULL CHECK (kind IN ('trakt', 'letterboxd', 'imdb')),
    url             text        NOT NULL CHECK (char_length(url) <= 2000),
    -- queued: a sync message is on its way; syncing: a consumer holds it; synced/failed: the last one ended.
    status          text        NOT NULL DEFAULT 'queued'
                                CHECK (status IN ('queued', 'syncing', 'synced', 'failed')),
    request_id      uuid        NOT NULL DEFAULT gen_random_uuid(),
    -- The collection is named from the list on its first good sync; a later rename by the user stays.
    titled          boolean     NOT NULL DEFAULT false,
    entries         integer     CHECK (entries >= 0),
    unmatched       integer     NOT NULL DEFAULT 0 CHECK (unmatched >= 0),
    unmatched_titles jsonb      NOT NULL DEFAULT '[]',
    error_code      text,
    error           text        CHECK (char_length(error) <= 1000),
    requested_at    timestamptz NOT NULL DEFAULT now(),
    started_at      timestamptz,
    synced_at       timestamptz,
    created_at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX collection_sources_user_idx ON collection_sources (user_id, status);
CREATE INDEX collection_sources_due_idx ON collection_sources (requested_at);
COMMENT ON TABLE collection_sources IS 'The public list an imported collection mirrors, and its last sync.';

-- Letterboxd names films by slug; the TMDB/IMDb ids come from the film page, read once per slug.
CREATE TABLE list_film_ids (
    slug            text        PRIMARY KEY CHECK (char_length(slug) <= 300),
    media_type      text        CHECK (media_type IN ('movie', 'show')),
    tmdb_id         bigint,
    imdb_id         text,
    fetched_at      timestamptz NOT NULL DEFAULT now()
);
COMMENT ON TABLE list_film_ids IS 'Letterboxd film slugs and the TMDB/IMDb ids their pages name (public data).';
