-- The user's quality profile (issue 19): only the fields the user changed, as a JSON object
-- (chalicelib/picks/profile.py validates it; NULL = every default, so better defaults reach
-- everyone who did not choose otherwise).
-- depends: 0010_download_queued_reason
ALTER TABLE user_preferences ADD COLUMN quality_profile jsonb
    CHECK (quality_profile IS NULL OR jsonb_typeof(quality_profile) = 'object');
