-- Accounts, sessions and refresh tokens (chalicelib/auth). Times come from the
-- app's clock (:now) so tests can move them; e-mails arrive normalised.

-- name: auth_lock_registrations()$
-- Serialises registrations for the rest of the transaction, so two concurrent
-- sign-ups on an empty instance cannot both see "no users yet" and both
-- become admin.
SELECT pg_advisory_xact_lock(hashtext('seen:auth:register'))::text;

-- name: auth_any_user()$
SELECT EXISTS (SELECT 1 FROM users);

-- name: auth_insert_user(email, password_hash, display_name, role, now)^
-- Returns no row when the e-mail is taken (the unique index decides, race-free).
-- Registering logs the account in, so it is also its first login.
INSERT INTO users (email, password_hash, display_name, role, created_at, updated_at, password_changed_at,
                   last_login_at, last_active_at)
VALUES (:email, :password_hash, :display_name, :role, :now, :now, :now, :now, :now)
ON CONFLICT (email) DO NOTHING
RETURNING id, email, display_name, role, disabled_at, created_at, last_login_at;

-- name: auth_user_by_email(email)^
SELECT id, email, password_hash, display_name, role, disabled_at, created_at, last_login_at
FROM users
WHERE email = :email;

-- name: auth_user_by_id(user_id)^
SELECT id, email, password_hash, display_name, role, disabled_at, created_at, last_login_at
FROM users
WHERE id = :user_id;

-- name: auth_record_login(user_id, now)!
UPDATE users SET last_login_at = :now, last_active_at = :now WHERE id = :user_id;

-- name: auth_touch_user(user_id, now)!
UPDATE users SET last_active_at = :now WHERE id = :user_id;

-- name: auth_set_password_hash(user_id, password_hash, now)!
-- A rehash with newer argon2 parameters after a successful login: same password.
UPDATE users SET password_hash = :password_hash, updated_at = :now WHERE id = :user_id;

-- name: auth_change_password(user_id, password_hash, now)!
UPDATE users
SET password_hash = :password_hash, password_changed_at = :now, updated_at = :now
WHERE id = :user_id;

-- name: auth_update_display_name(user_id, display_name, now)^
UPDATE users SET display_name = :display_name, updated_at = :now
WHERE id = :user_id
RETURNING id, email, display_name, role, disabled_at, created_at, last_login_at;

-- name: auth_insert_session(user_id, expires_at, user_agent, ip, now)$
INSERT INTO sessions (user_id, expires_at, user_agent, ip, created_at, updated_at, last_used_at)
VALUES (:user_id, :expires_at, :user_agent, CAST(:ip AS inet), :now, :now, :now)
RETURNING id;

-- name: auth_insert_refresh_token(session_id, generation, token_hash, expires_at, now)!
INSERT INTO refresh_tokens (session_id, generation, token_hash, issued_at, expires_at)
VALUES (:session_id, :generation, :token_hash, :now, :expires_at);

-- name: auth_lock_refresh_token(token_hash)^
-- The presented token with its session and user, row-locked so concurrent
-- refreshes with the same token run one after the other: the second one sees
-- rotated_at set by the first and is treated as reuse.
SELECT rt.id, rt.session_id, rt.generation, rt.expires_at, rt.rotated_at,
       s.user_id, s.revoked_at, u.role, u.disabled_at, s.profile_id
FROM refresh_tokens rt
JOIN sessions s ON s.id = rt.session_id
JOIN users u ON u.id = s.user_id
WHERE rt.token_hash = :token_hash
FOR UPDATE OF rt;

-- name: auth_mark_rotated(token_id, now)!
UPDATE refresh_tokens SET rotated_at = :now WHERE id = :token_id AND rotated_at IS NULL;

-- name: auth_session_of_token(token_hash)$
SELECT session_id FROM refresh_tokens WHERE token_hash = :token_hash;

-- name: auth_extend_session(session_id, expires_at, now)!
UPDATE sessions SET expires_at = :expires_at, last_used_at = :now, updated_at = :now
WHERE id = :session_id;

-- name: auth_revoke_session(session_id, reason, now)!
UPDATE sessions SET revoked_at = :now, revoked_reason = :reason, updated_at = :now
WHERE id = :session_id AND revoked_at IS NULL;

-- name: auth_revoke_user_sessions(user_id, reason, now, keep_session_id)!
-- Every live session of the user except keep_session_id (NULL keeps none).
UPDATE sessions SET revoked_at = :now, revoked_reason = :reason, updated_at = :now
WHERE user_id = :user_id AND revoked_at IS NULL
  AND id IS DISTINCT FROM CAST(:keep_session_id AS uuid);

-- name: auth_session_state(session_id)^
-- The per-request check behind require_user: one primary-key probe each. profile_id is the profile the
-- session acts as (the account's own when none was selected); its kind and limits come along (NULL kind:
-- an account without a profiles row yet, i.e. its owner profile, an adult).
SELECT s.user_id, s.revoked_at, u.role, u.disabled_at,
       coalesce(s.profile_id, s.user_id) AS profile_id, p.kind, p.max_rating, p.allowed_collections
FROM sessions s
JOIN users u ON u.id = s.user_id
LEFT JOIN profiles p ON p.id = coalesce(s.profile_id, s.user_id)
WHERE s.id = :session_id;

-- name: auth_insert_owner_profile(user_id, name, now)!
-- An account's first profile: its own users row (so its data needs no profile of its own to move to).
INSERT INTO profiles (id, account_id, name, kind, created_at, updated_at)
VALUES (:user_id, :user_id, :name, 'adult', :now, :now)
ON CONFLICT (id) DO NOTHING;

-- name: auth_set_session_profile(session_id, user_id, profile_id, now)$
-- The live session of this account now acts as profile_id (checked to be the account's by the caller).
UPDATE sessions SET profile_id = :profile_id, last_used_at = :now, updated_at = :now
WHERE id = :session_id AND user_id = :user_id AND revoked_at IS NULL
RETURNING id;
