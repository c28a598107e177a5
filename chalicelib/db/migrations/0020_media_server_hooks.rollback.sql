DROP TABLE webhook_events;
DROP TABLE user_webhooks;
