-- Sessions that recover (issue 37, item 1). A playback session ties a user, a title (season/episode), the file
-- that plays (a library item, or a download and its file index), the pick it came from and the device's
-- capabilities. Heartbeats keep its position and buffer state; when a download's stream stalls longer than the
-- user's stall_switch_seconds, the session switches to the next candidate that fits, and the pick it leaves is
-- replaced with the reason (picks.replaced_reason, reason 'fallback' on its successor): the audit trail shows it.
ALTER TABLE picks DROP CONSTRAINT picks_reason_check;
ALTER TABLE picks ADD CONSTRAINT picks_reason_check CHECK (reason IN ('best', 'chosen', 'monitor', 'fallback'));
ALTER TABLE picks ADD COLUMN replaced_reason text CHECK (char_length(replaced_reason) BETWEEN 1 AND 500);
COMMENT ON COLUMN picks.replaced_reason IS 'Why the system replaced this pick (a stalled stream), in words; NULL: a person did.';

ALTER TABLE user_preferences ADD COLUMN stall_switch_seconds integer NOT NULL DEFAULT 15
    CHECK (stall_switch_seconds BETWEEN 3 AND 300);

CREATE TABLE playback_sessions (
    id                uuid             PRIMARY KEY DEFAULT gen_random_uuid(),
    user_id           uuid             NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    media_id          bigint           NOT NULL REFERENCES media_items (id) ON DELETE CASCADE,
    season            integer          CHECK (season BETWEEN 0 AND 10000),
    episode           integer          CHECK (episode BETWEEN 0 AND 100000),
    -- library: a library item's file; download: a download's file while it downloads (and once stored).
    mode              text             NOT NULL CHECK (mode IN ('library', 'download')),
    library_item_id   uuid             REFERENCES library_items (id) ON DELETE SET NULL,
    download_id       uuid             REFERENCES download_jobs (id) ON DELETE SET NULL,
    file_index        integer          CHECK (file_index >= 0),
    pick_id           uuid             REFERENCES picks (id) ON DELETE SET NULL,
    device_caps       jsonb            CHECK (device_caps IS NULL OR jsonb_typeof(device_caps) = 'object'),
    device_key        text             NOT NULL DEFAULT '' CHECK (device_key = '' OR device_key ~ '^[0-9a-f]{16}$'),
    -- active, or switching: one heartbeat claimed the switch (the others leave it alone; a claim older than
    -- a couple of minutes was lost with its process and may be claimed again).
    state             text             NOT NULL DEFAULT 'active' CHECK (state IN ('active', 'switching')),
    switch_started_at timestamptz,
    position_seconds  double precision NOT NULL DEFAULT 0 CHECK (position_seconds >= 0),
    -- The stall being timed: since when the player waits at buffering_at, and the job's bytes then.
    buffering_since   timestamptz,
    buffering_at      double precision,
    buffering_bytes   bigint,
    -- Releases (info hashes, or names when a release has none) that stalled in this session: never again.
    stalled           text[]           NOT NULL DEFAULT '{}',
    -- Every switch: {at, fromPickId, toPickId, release, reason, positionSeconds, stalledSeconds}.
    switches          jsonb            NOT NULL DEFAULT '[]' CHECK (jsonb_typeof(switches) = 'array'),
    last_error        text             CHECK (char_length(last_error) <= 1000),
    created_at        timestamptz      NOT NULL DEFAULT now(),
    updated_at        timestamptz      NOT NULL DEFAULT now(),
    -- No CHECK ties mode to its file: a deleted library item or job sets it NULL and the session stays.
    CONSTRAINT playback_sessions_unit_check CHECK (episode IS NULL OR season IS NOT NULL)
);
CREATE INDEX playback_sessions_user_media_idx ON playback_sessions (user_id, media_id, updated_at DESC);
CREATE INDEX playback_sessions_pick_idx ON playback_sessions (pick_id) WHERE pick_id IS NOT NULL;
CREATE INDEX playback_sessions_download_idx ON playback_sessions (download_id) WHERE download_id IS NOT NULL;
COMMENT ON TABLE playback_sessions IS 'Playback sessions: user, title, pick, file, device; switches when a stream stalls.';
