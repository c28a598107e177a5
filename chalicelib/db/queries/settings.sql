-- Settings: per-user preferences and admin instance settings.

-- name: settings_user_get(user_id)^
SELECT watched_threshold_percent, autoplay_next, subtitle_language, subtitle_languages, audio_language, theme,
       region, stall_switch_seconds, quality_profile, updated_at
FROM user_preferences WHERE user_id = :user_id;

-- name: settings_user_upsert(user_id, watched_threshold_percent, autoplay_next, subtitle_language, subtitle_languages, audio_language, theme, region, stall_switch_seconds, quality_profile)^
-- The service merges the patch with the current row first, so every column is written.
-- quality_profile: JSON text of the user's overrides, or NULL for every default.
INSERT INTO user_preferences (user_id, watched_threshold_percent, autoplay_next, subtitle_language, subtitle_languages,
                              audio_language, theme, region, stall_switch_seconds, quality_profile)
VALUES (:user_id, :watched_threshold_percent, :autoplay_next, :subtitle_language, :subtitle_languages,
        :audio_language, :theme, :region, :stall_switch_seconds, CAST(:quality_profile AS jsonb))
ON CONFLICT (user_id) DO UPDATE SET
    watched_threshold_percent = EXCLUDED.watched_threshold_percent,
    autoplay_next = EXCLUDED.autoplay_next,
    subtitle_language = EXCLUDED.subtitle_language,
    subtitle_languages = EXCLUDED.subtitle_languages,
    audio_language = EXCLUDED.audio_language,
    theme = EXCLUDED.theme,
    region = EXCLUDED.region,
    stall_switch_seconds = EXCLUDED.stall_switch_seconds,
    quality_profile = EXCLUDED.quality_profile,
    updated_at = now()
RETURNING watched_threshold_percent, autoplay_next, subtitle_language, subtitle_languages, audio_language, theme,
          region, stall_switch_seconds, quality_profile, updated_at;

-- name: settings_quality_profile_get(user_id)^
-- The quality profile overrides alone (chalicelib.settings.profile.for_user); no row / NULL = the defaults.
SELECT quality_profile FROM user_preferences WHERE user_id = :user_id;

-- name: settings_instance_all()
SELECT key, value, is_secret, secret_ciphertext, key_id, updated_at FROM instance_settings ORDER BY key;

-- name: settings_instance_get(key)^
SELECT key, value, is_secret, secret_ciphertext, key_id, updated_at FROM instance_settings WHERE key = :key;

-- name: settings_instance_put_value(key, value, updated_by)!
INSERT INTO instance_settings (key, value, is_secret, updated_by)
VALUES (:key, CAST(:value AS jsonb), false, :updated_by)
ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value, is_secret = false, secret_ciphertext = NULL,
    key_id = NULL, updated_by = EXCLUDED.updated_by, updated_at = now();

-- name: settings_instance_put_secret(key, secret_ciphertext, key_id, updated_by)!
INSERT INTO instance_settings (key, value, is_secret, secret_ciphertext, key_id, updated_by)
VALUES (:key, NULL, true, :secret_ciphertext, :key_id, :updated_by)
ON CONFLICT (key) DO UPDATE SET value = NULL, is_secret = true, secret_ciphertext = EXCLUDED.secret_ciphertext,
    key_id = EXCLUDED.key_id, updated_by = EXCLUDED.updated_by, updated_at = now();

-- name: settings_instance_delete(key)!
DELETE FROM instance_settings WHERE key = :key;
