-- Accounts, login sessions and rotating refresh tokens.
-- depends: 0001_extensions

-- E-mails are stored already normalised (trimmed, lower-case) so the plain
-- unique index is the uniqueness rule and lookups need no lower() call.
CREATE TABLE users (
    id              uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
    email           text        NOT NULL,
    password_hash   text        NOT NULL CHECK (password_hash <> ''),
    display_name    text        CHECK (char_length(display_name) BETWEEN 1 AND 200),
    role            text        NOT NULL DEFAULT 'user' CHECK (role IN ('user', 'admin')),
    -- Bumped on password change, role change, disable and logout-all. Access
    -- tokens may carry it so require_user can reject stale tokens with the
    -- same primary-key read that checks disabled_at.
    token_version   integer     NOT NULL DEFAULT 0 CHECK (token_version >= 0),
    disabled_at     timestamptz,
    password_changed_at timestamptz NOT NULL DEFAULT now(),
    last_login_at   timestamptz,
    -- Touched on login and refresh. Recommendations recompute snapshots for
    -- users active in the last 30 days.
    last_active_at  timestamptz,
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT users_email_check CHECK (
        email = lower(email)
        AND email = btrim(email)
        AND char_length(email) BETWEEN 3 AND 320
        AND position('@' IN email) > 1
    )
);
CREATE UNIQUE INDEX users_email_key ON users (email);
-- Admin user list: search by e-mail fragment, paged by creation.
CREATE INDEX users_email_trgm_idx ON users USING gin (email gin_trgm_ops);
CREATE INDEX users_created_at_idx ON users (created_at, id);
CREATE INDEX users_last_active_at_idx ON users (last_active_at) WHERE disabled_at IS NULL;
COMMENT ON TABLE users IS 'Accounts. Roles user|admin. The first account on an empty instance becomes admin (decided by the service under a lock).';

-- One row per login. A session is a refresh-token family: its id is the sid
-- claim of every access token issued in it, and every refresh token rotated
-- from the same login belongs to it. Revoking the session revokes the family.
CREATE TABLE sessions (
    id              uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
    user_id         uuid        NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now(),
    last_used_at    timestamptz NOT NULL DEFAULT now(),
    -- When the newest refresh token of the family expires. Cleanup deletes
    -- sessions past it.
    expires_at      timestamptz NOT NULL,
    revoked_at      timestamptz,
    revoked_reason  text CHECK (revoked_reason IN (
                        'logout', 'logout_all', 'password_changed', 'reuse_detected',
                        'user_disabled', 'role_changed', 'admin')),
    user_agent      text CHECK (char_length(user_agent) <= 1024),
    ip              inet,
    -- No CHECK comparing expires_at with created_at: tests inject a clock,
    -- so the two may come from different clocks.
    CONSTRAINT sessions_revoked_check CHECK ((revoked_at IS NULL) = (revoked_reason IS NULL))
);
CREATE INDEX sessions_user_id_idx ON sessions (user_id, created_at DESC);
CREATE INDEX sessions_expires_at_idx ON sessions (expires_at);
CREATE INDEX sessions_revoked_at_idx ON sessions (revoked_at) WHERE revoked_at IS NOT NULL;
COMMENT ON TABLE sessions IS 'Login sessions, one per refresh-token family. id is the sid claim in access tokens.';

-- Every refresh token ever issued in a session, stored as sha256 of the random
-- token (high entropy, so a fast hash is enough). Refresh looks the presented
-- token up by token_hash (one unique-index probe): rotated_at NULL means it is
-- the live token and may be rotated; rotated_at set means it was already used,
-- i.e. reuse, and the whole session is revoked.
CREATE TABLE refresh_tokens (
    id              bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    session_id      uuid        NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
    -- 0 for the token issued at login, +1 per rotation.
    generation      integer     NOT NULL CHECK (generation >= 0),
    token_hash      bytea       NOT NULL CHECK (octet_length(token_hash) = 32),
    issued_at       timestamptz NOT NULL DEFAULT now(),
    expires_at      timestamptz NOT NULL,
    rotated_at      timestamptz,
    CONSTRAINT refresh_tokens_token_hash_key UNIQUE (token_hash),
    CONSTRAINT refresh_tokens_session_generation_key UNIQUE (session_id, generation)
);
-- At most one live (not yet rotated) token per session: two concurrent
-- refreshes with the same token cannot both mint a successor. Rotate by
-- marking the old token rotated before inserting generation + 1.
CREATE UNIQUE INDEX refresh_tokens_live_key ON refresh_tokens (session_id) WHERE rotated_at IS NULL;
COMMENT ON TABLE refresh_tokens IS 'Refresh tokens (sha256) per session, kept after rotation for reuse detection. Child of sessions.';
