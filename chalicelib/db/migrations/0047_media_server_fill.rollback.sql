ALTER TABLE media_server_syncs DROP COLUMN IF EXISTS filled_at, DROP COLUMN IF EXISTS fill_started_at;
