-- Recommendation snapshots and dismissed recommendations.
-- depends: 0007_library

-- One computed list per user and run. items is an ordered array of
-- {mediaId, mediaType, score, reasons: [{code, text, refMediaId?, refGenreId?}]}.
-- Reads take the newest snapshot (user_id, computed_at DESC) and filter out
-- what was watched/dismissed since. Immutable once written, cleanup keeps
-- only the latest few per user.
CREATE TABLE recommendation_snapshots (
    id                uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
    user_id           uuid        NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    computed_at       timestamptz NOT NULL DEFAULT now(),
    algorithm_version text        NOT NULL CHECK (algorithm_version <> ''),
    -- What triggered it: the schedule, a read with no snapshot, a manual run.
    trigger           text        NOT NULL DEFAULT 'schedule' CHECK (trigger IN ('schedule', 'on_demand', 'manual')),
    items             jsonb       NOT NULL DEFAULT '[]' CHECK (jsonb_typeof(items) = 'array'),
    item_count        integer     NOT NULL DEFAULT 0 CHECK (item_count >= 0),
    is_cold_start     boolean     NOT NULL DEFAULT false,
    duration_ms       integer     CHECK (duration_ms >= 0),
    -- Inputs summary (history size, candidate counts) for debugging and bench.
    stats             jsonb       NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(stats) = 'object'),
    created_at        timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX recommendation_snapshots_user_idx ON recommendation_snapshots (user_id, computed_at DESC);
CREATE INDEX recommendation_snapshots_computed_idx ON recommendation_snapshots (computed_at);
COMMENT ON TABLE recommendation_snapshots IS 'Per-user recommendation lists with scores and reasons, newest wins.';

-- "Not interested": excluded from every future snapshot and read.
CREATE TABLE user_dismissals (
    user_id         uuid        NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    media_id        bigint      NOT NULL REFERENCES media_items (id) ON DELETE CASCADE,
    reason          text        NOT NULL DEFAULT 'not_interested' CHECK (reason IN ('not_interested', 'already_seen', 'dislike')),
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (user_id, media_id)
);
CREATE INDEX user_dismissals_updated_idx ON user_dismissals (user_id, updated_at);
CREATE INDEX user_dismissals_media_idx ON user_dismissals (media_id);
COMMENT ON TABLE user_dismissals IS 'Recommendations a user dismissed.';
