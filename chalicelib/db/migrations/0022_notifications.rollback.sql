DROP TABLE notifications;
DROP TABLE notification_channels;
ALTER TABLE user_preferences DROP COLUMN notify_rules;
