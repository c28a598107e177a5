-- Household profiles (chalicelib/profiles). Every read and write is scoped by the account (account_id);
-- a profile's id is a users row (the owner's own, or a login-less row with users.account_id).

-- name: profiles_ensure_owner(account_id, now)!
-- The account's first profile, for an account made before it had one (its id is the account's).
INSERT INTO profiles (id, account_id, name, kind, created_at, updated_at)
SELECT id, id,
       coalesce(nullif(btrim(left(btrim(display_name), 40)), ''), btrim(left(split_part(email, '@', 1), 40)), 'Me'),
       'adult', created_at, :now
FROM users
WHERE id = :account_id AND account_id IS NULL
ON CONFLICT DO NOTHING;

-- name: profiles_lock_account(account_id)$
-- Serialises profile changes of one account for the rest of the transaction (the 6-profile limit).
SELECT pg_advisory_xact_lock(hashtext('seen:profiles:' || CAST(:account_id AS text)))::text;

-- name: profiles_list(account_id)
-- The owner profile first, then by creation.
SELECT p.id, p.account_id, p.name, p.kind, p.max_rating, p.allowed_collections, p.pin_hash, p.avatar, p.color,
       coalesce(up.theme, 'dark') AS theme, p.created_at, p.updated_at
FROM profiles p
LEFT JOIN user_preferences up ON up.user_id = p.id
WHERE p.account_id = :account_id
ORDER BY (p.id = p.account_id) DESC, p.created_at, p.id;

-- name: profiles_get(account_id, profile_id)^
SELECT p.id, p.account_id, p.name, p.kind, p.max_rating, p.allowed_collections, p.pin_hash, p.avatar, p.color,
       coalesce(up.theme, 'dark') AS theme, p.created_at, p.updated_at
FROM profiles p
LEFT JOIN user_preferences up ON up.user_id = p.id
WHERE p.account_id = :account_id AND p.id = :profile_id;

-- name: profiles_count(account_id)$
SELECT count(*) FROM profiles WHERE account_id = :account_id;

-- name: profiles_name_taken(account_id, name, except_id)$
SELECT EXISTS (SELECT 1 FROM profiles
               WHERE account_id = :account_id AND lower(name) = lower(:name)
                 AND id IS DISTINCT FROM CAST(:except_id AS uuid));

-- name: profiles_foreign_collections(account_id, collection_ids)
-- Those of collection_ids that are not a collection of one of the account's profiles.
SELECT c.id FROM unnest(CAST(:collection_ids AS uuid[])) AS c(id)
WHERE NOT EXISTS (SELECT 1 FROM collections k JOIN profiles p ON p.id = k.user_id
                  WHERE k.id = c.id AND p.account_id = :account_id);

-- name: profiles_insert_user(account_id, now)$
-- A profile's own users row: no e-mail, no password (it cannot log in), so every user-owned table can
-- reference it like any account.
INSERT INTO users (account_id, role, created_at, updated_at, password_changed_at, last_active_at)
VALUES (:account_id, 'user', :now, :now, :now, :now)
RETURNING id;

-- name: profiles_insert(profile_id, account_id, name, kind, max_rating, allowed_collections, avatar, color, pin_hash, now)!
INSERT INTO profiles (id, account_id, name, kind, max_rating, allowed_collections, avatar, color, pin_hash,
                      created_at, updated_at)
VALUES (:profile_id, :account_id, :name, :kind, :max_rating, CAST(:allowed_collections AS uuid[]), :avatar, :color,
        :pin_hash, :now, :now);

-- name: profiles_update(account_id, profile_id, name, kind, max_rating, allowed_collections, avatar, color, now)!
UPDATE profiles
SET name = :name, kind = :kind, max_rating = :max_rating, allowed_collections = CAST(:allowed_collections AS uuid[]),
    avatar = :avatar, color = :color, updated_at = :now
WHERE account_id = :account_id AND id = :profile_id;

-- name: profiles_set_pin(account_id, profile_id, pin_hash, now)!
UPDATE profiles SET pin_hash = :pin_hash, updated_at = :now
WHERE account_id = :account_id AND id = :profile_id;

-- name: profiles_set_theme(profile_id, theme, now)!
-- The profile's theme lives with its other preferences (GET /api/v1/settings answers it too).
INSERT INTO user_preferences (user_id, theme, created_at, updated_at)
VALUES (:profile_id, :theme, :now, :now)
ON CONFLICT (user_id) DO UPDATE SET theme = EXCLUDED.theme, updated_at = EXCLUDED.updated_at;

-- name: profiles_delete(account_id, profile_id)$
-- Deletes the profile's users row, so its data goes with it (every user-owned key cascades), and the
-- sessions acting as it end (sessions.profile_id cascades). Never the owner's: that is the account.
DELETE FROM users
WHERE id = :profile_id AND account_id = :account_id
RETURNING id;

-- name: profiles_has_kid(account_id)$
SELECT EXISTS (SELECT 1 FROM profiles WHERE account_id = :account_id AND kind = 'kid');
