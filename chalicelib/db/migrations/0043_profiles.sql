-- Household profiles (issue 38, item 1): an account holds up to 6 profiles, each with its own history,
-- progress, ratings, watch later, follows, recommendations and theme.
--
-- A profile is a principal whose id is what every user-owned table's user_id holds, so every existing
-- foreign key (users.id) stays valid and nothing moves: the account's own users row IS its first (owner)
-- profile, and every further profile is a users row of its own with account_id pointing at the account
-- and no login (no e-mail, no password). Deleting a profile deletes its users row and so, by the
-- existing ON DELETE CASCADE keys, its data; deleting the account deletes its profiles.
-- depends: 0042_media_analysis

ALTER TABLE users ADD COLUMN account_id uuid REFERENCES users (id) ON DELETE CASCADE;
ALTER TABLE users ALTER COLUMN email DROP NOT NULL, ALTER COLUMN password_hash DROP NOT NULL;
ALTER TABLE users ADD CONSTRAINT users_login_check CHECK (
    (account_id IS NULL AND email IS NOT NULL AND password_hash IS NOT NULL)
    OR (account_id IS NOT NULL AND email IS NULL AND password_hash IS NULL AND account_id <> id));
CREATE INDEX users_account_id_idx ON users (account_id) WHERE account_id IS NOT NULL;
COMMENT ON COLUMN users.account_id IS 'Set on a profile''s row (no login of its own): the account it belongs to.';

-- What makes a users row a profile: one row per profile, the owner's id = account_id.
CREATE TABLE profiles (
    id                  uuid        PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    account_id          uuid        NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    name                text        NOT NULL CHECK (char_length(name) BETWEEN 1 AND 40 AND name = btrim(name)),
    kind                text        NOT NULL DEFAULT 'adult' CHECK (kind IN ('adult', 'kid')),
    -- A certification label (chalicelib/contentrating.py knows them); kid profiles only.
    max_rating          text        CHECK (char_length(max_rating) BETWEEN 1 AND 16),
    -- Ids of the account's collections a kid is limited to (empty: no allow-list).
    allowed_collections uuid[]      NOT NULL DEFAULT '{}' CHECK (cardinality(allowed_collections) <= 100),
    -- argon2id of a 4-6 digit PIN; NULL: no PIN.
    pin_hash            text        CHECK (pin_hash <> ''),
    avatar              text        CHECK (char_length(avatar) BETWEEN 1 AND 40),
    color               text        CHECK (color ~ '^#[0-9a-f]{6}$'),
    created_at          timestamptz NOT NULL DEFAULT now(),
    updated_at          timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT profiles_rating_kid_check CHECK (kind = 'kid' OR (max_rating IS NULL
                                                                 AND cardinality(allowed_collections) = 0)),
    CONSTRAINT profiles_owner_adult_check CHECK (id <> account_id OR kind = 'adult')
);
CREATE UNIQUE INDEX profiles_account_name_key ON profiles (account_id, lower(name));
CREATE INDEX profiles_account_id_idx ON profiles (account_id, created_at, id);
COMMENT ON TABLE profiles IS 'Household profiles. id is a users row (the owner''s own, or a login-less one with account_id).';

-- Today's data stays each account's first profile: every account gets its owner profile.
INSERT INTO profiles (id, account_id, name, kind, created_at, updated_at)
SELECT id, id,
       coalesce(nullif(btrim(left(btrim(display_name), 40)), ''), btrim(left(split_part(email, '@', 1), 40)), 'Me'),
       'adult', created_at, now()
FROM users
WHERE account_id IS NULL;

-- The profile a session acts as (NULL: the account's owner profile). Deleting a profile ends the sessions
-- acting as it, so a device left on a deleted kid profile never falls back to the owner.
ALTER TABLE sessions ADD COLUMN profile_id uuid REFERENCES users (id) ON DELETE CASCADE;
CREATE INDEX sessions_profile_id_idx ON sessions (profile_id) WHERE profile_id IS NOT NULL;
