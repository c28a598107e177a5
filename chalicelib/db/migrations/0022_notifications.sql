-- Notifications (issue 24, item 3): per-user rules and delivery channels (Apprise URLs), and the
-- notifications themselves, made once each (unique per user, kind and subject) by a scheduled
-- function, shown in the app (unread badge) and sent to every channel of the user.
-- depends: 0018_catalog_depth

-- {episodeAired, wantedDownloaded, downloadFailed, gameReleased}: true/false; a missing key is on.
ALTER TABLE user_preferences
    ADD COLUMN notify_rules jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(notify_rules) = 'object');

-- An Apprise URL (mailto://, ntfy://, gotify://, discord://, tgram://, json://, ...) carries the
-- service's token or password: it is stored Fernet-encrypted (SEEN_SETTINGS_KEY) and never returned.
CREATE TABLE notification_channels (
    id             uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
    user_id        uuid        NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    label          text        NOT NULL CHECK (char_length(btrim(label)) BETWEEN 1 AND 80),
    -- The URL's scheme (ntfy, mailto, ...): what the settings page shows instead of the URL.
    service        text        NOT NULL CHECK (service ~ '^[a-z][a-z0-9+.-]{0,31}$'),
    url_ciphertext text        NOT NULL,
    key_id         text        NOT NULL,
    created_at     timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT notification_channels_label_key UNIQUE (user_id, label)
);
COMMENT ON TABLE notification_channels IS 'A user''s notification channels (encrypted Apprise URLs).';

CREATE TABLE notifications (
    id                bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id           uuid        NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    kind              text        NOT NULL CHECK (kind IN (
                                      'episode_aired', 'wanted_downloaded', 'download_failed', 'game_released')),
    -- What it is about (episode:123, job:<uuid>, game:45): one notification per user, kind and subject.
    subject           text        NOT NULL CHECK (char_length(subject) BETWEEN 1 AND 200),
    title             text        NOT NULL CHECK (char_length(title) BETWEEN 1 AND 300),
    body              text        CHECK (char_length(body) <= 2000),
    -- An in-app path (/app/shows/12) the notification opens.
    link              text        CHECK (link ~ '^/app/'),
    media_id          bigint      REFERENCES media_items (id) ON DELETE SET NULL,
    created_at        timestamptz NOT NULL DEFAULT now(),
    read_at           timestamptz,
    -- pending: to send; sending: claimed by a sender (reclaimed when it is stale); sent: every channel
    -- answered or at least one did; skipped: the user has no channel; failed: gave up after retries.
    delivery          text        NOT NULL DEFAULT 'pending' CHECK (delivery IN (
                                      'pending', 'sending', 'sent', 'skipped', 'failed')),
    attempts          smallint    NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    claimed_at        timestamptz,
    delivered_at      timestamptz,
    last_error        text        CHECK (char_length(last_error) <= 1000),
    CONSTRAINT notifications_subject_key UNIQUE (user_id, kind, subject)
);
CREATE INDEX notifications_user_idx ON notifications (user_id, created_at DESC);
CREATE INDEX notifications_unread_idx ON notifications (user_id) WHERE read_at IS NULL;
CREATE INDEX notifications_delivery_idx ON notifications (created_at) WHERE delivery IN ('pending', 'sending');
COMMENT ON TABLE notifications IS 'In-app notifications, each also sent once to the user''s channels.';
