-- Users' own accounts on the household's media servers (issue 36): a user links a Jellyfin or Plex account
-- on a server the admin added. The link's token (Jellyfin's AccessToken, Plex's X-Plex-Token) is encrypted
-- like the server's own and never returned; it imports the user's played state once and builds the
-- server's stream URLs for that user alone. The last import's state and counts live on the link.
CREATE TABLE media_server_accounts (
    user_id              uuid        NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    server_id            uuid        NOT NULL REFERENCES media_servers (id) ON DELETE CASCADE,
    -- Who the server says the user is (Jellyfin's User.Id and Name, Plex's account id and username).
    remote_user_id       text        NOT NULL,
    remote_user          text        NOT NULL,
    token_ciphertext     bytea       NOT NULL,
    key_id               text        NOT NULL,
    import_status        text        CHECK (import_status IN ('queued', 'running', 'completed', 'failed')),
    import_requested_at  timestamptz,
    import_started_at    timestamptz,
    import_finished_at   timestamptz,
    imported_watched     integer     NOT NULL DEFAULT 0,
    imported_in_progress integer     NOT NULL DEFAULT 0,
    imported_unmatched   integer     NOT NULL DEFAULT 0,
    import_error         text,
    created_at           timestamptz NOT NULL DEFAULT now(),
    updated_at           timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (user_id, server_id)
);
CREATE INDEX media_server_accounts_server_idx ON media_server_accounts (server_id);
