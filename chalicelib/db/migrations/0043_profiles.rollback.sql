-- Rolling back keeps only each account's owner profile (its data is the account's); extra profiles go.
ALTER TABLE sessions DROP COLUMN IF EXISTS profile_id;
DROP TABLE IF EXISTS profiles;
DELETE FROM users WHERE account_id IS NOT NULL;
ALTER TABLE users DROP CONSTRAINT IF EXISTS users_login_check;
DROP INDEX IF EXISTS users_account_id_idx;
ALTER TABLE users DROP COLUMN IF EXISTS account_id;
ALTER TABLE users ALTER COLUMN email SET NOT NULL, ALTER COLUMN password_hash SET NOT NULL;
