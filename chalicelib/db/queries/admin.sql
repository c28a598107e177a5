-- Admin user management (chalicelib/admin).

-- name: admin_list_users(pattern, limit, offset)
-- pattern is an ILIKE pattern with LIKE wildcards in the search text escaped
-- ('%' lists everyone); the trigram index on email serves it.
SELECT id, email, display_name, role, disabled_at, created_at, last_login_at, last_active_at
FROM users
WHERE email ILIKE :pattern
ORDER BY created_at, id
LIMIT :limit OFFSET :offset;

-- name: admin_count_users(pattern)$
SELECT count(*) FROM users WHERE email ILIKE :pattern;

-- name: admin_set_role(user_id, role, now)^
UPDATE users SET role = :role, updated_at = :now
WHERE id = :user_id AND account_id IS NULL  -- an account, never one of its login-less profiles
RETURNING id, email, display_name, role, disabled_at, created_at, last_login_at, last_active_at;

-- name: admin_set_disabled(user_id, disabled_at, now)^
-- disabled_at NULL enables; a second disable keeps the first timestamp. The account's profiles follow it, so
-- whatever checks a profile's own row (its iCal feed, webhooks, a show's followers) sees it disabled too.
WITH account AS (
    UPDATE users
    SET disabled_at = CASE WHEN CAST(:disabled_at AS timestamptz) IS NULL THEN NULL
                           ELSE coalesce(disabled_at, :disabled_at) END,
        updated_at = :now
    WHERE id = :user_id AND account_id IS NULL  -- an account, never one of its login-less profiles
    RETURNING id, email, display_name, role, disabled_at, created_at, last_login_at, last_active_at
), profiles AS (
    UPDATE users p SET disabled_at = (SELECT disabled_at FROM account), updated_at = :now
    WHERE p.account_id = :user_id AND EXISTS (SELECT 1 FROM account)
)
SELECT * FROM account;
