-- Device-aware picks (issue 37): a pick is kept per device capabilities as well as per quality profile, so a
-- phone that cannot decode HEVC gets an H.264 release while the desktop keeps its HEVC one. device_key is a
-- hash of the device's normalised capabilities (16 hex digits); '' is "no device given" (every older pick,
-- monitoring's automatic grabs), which keeps the old key's meaning for them.
ALTER TABLE picks ADD COLUMN device_key text NOT NULL DEFAULT ''
    CONSTRAINT picks_device_key_check CHECK (device_key = '' OR device_key ~ '^[0-9a-f]{16}$');
DROP INDEX picks_current_key;
CREATE UNIQUE INDEX picks_current_key ON picks (user_id, media_id, season, episode, profile_hash, device_key)
    NULLS NOT DISTINCT WHERE replaced_at IS NULL;
COMMENT ON COLUMN picks.device_key IS 'Hash of the playing device''s capabilities the pick was made for; empty: none given.';
