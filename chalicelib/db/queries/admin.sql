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
WHERE id = :user_id
RETURNING id, email, display_name, role, disabled_at, created_at, last_login_at, last_active_at;

-- name: admin_set_disabled(user_id, disabled_at, now)^
-- disabled_at NULL enables; a second disable keeps the first timestamp.
UPDATE users
SET disabled_at = CASE WHEN CAST(:disabled_at AS timestamptz) IS NULL THEN NULL
                       ELSE coalesce(disabled_at, :disabled_at) END,
    updated_at = :now
WHERE id = :user_id
RETURNING id, email, display_name, role, disabled_at, created_at, last_login_at, last_active_at;
