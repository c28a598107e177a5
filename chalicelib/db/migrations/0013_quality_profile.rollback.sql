ALTER TABLE user_preferences DROP COLUMN quality_profile;
