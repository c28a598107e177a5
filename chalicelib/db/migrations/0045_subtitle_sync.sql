-- Subtitles in sync (issue 38, item 4). Auto-sync: the worker's media.subtitle_sync aligns a track to its
-- file's audio and media.subtitle_synced brings the offset and the shifted track back; like the library it
-- is instance-wide (no user_id). The manual offset a viewer sets in the player is theirs: per user (the
-- acting profile, whose id is a users row) and track.

-- One row per track once a sync was asked for: the last request and its outcome. source_key /
-- subtitle_key: the original and the track it was asked about, so an answer about a replaced file or track
-- changes nothing; reported_at: the sentAt of the last answer applied (a late one never moves it back).
CREATE TABLE library_subtitle_syncs (
    subtitle_id     uuid          PRIMARY KEY REFERENCES library_subtitles (id) ON DELETE CASCADE,
    library_item_id uuid          NOT NULL REFERENCES library_items (id) ON DELETE CASCADE,
    requested_by    uuid          REFERENCES users (id) ON DELETE SET NULL,
    source_key      text          NOT NULL CHECK (source_key <> ''),
    subtitle_key    text          NOT NULL CHECK (subtitle_key <> ''),
    output_prefix   text          NOT NULL CHECK (output_prefix <> ''),
    -- The track's updated_at when asked: a track replaced since (a rescan, a new download) is served as it
    -- is until synced again.
    track_updated_at timestamptz  NOT NULL,
    status          text          NOT NULL CHECK (status IN ('queued', 'running', 'done', 'failed')),
    offset_seconds  numeric(8,2),
    -- The shifted track (WebVTT) the stream serves instead of subtitle_key once done.
    output_key      text          CHECK (output_key <> ''),
    error           text,
    requested_at    timestamptz   NOT NULL DEFAULT now(),
    reported_at     timestamptz,
    synced_at       timestamptz,
    updated_at      timestamptz   NOT NULL DEFAULT now(),
    CHECK (status <> 'done' OR (output_key IS NOT NULL AND offset_seconds IS NOT NULL))
);
CREATE INDEX library_subtitle_syncs_item_idx ON library_subtitle_syncs (library_item_id);
-- The per-user cap counts a user's syncs in the worker's hands.
CREATE INDEX library_subtitle_syncs_open_idx ON library_subtitle_syncs (requested_by, requested_at)
    WHERE status IN ('queued', 'running');
COMMENT ON TABLE library_subtitle_syncs IS 'Auto-sync of a subtitle track to its file''s audio (media.subtitle_sync).';

-- A viewer's own offset for a track, in 0.1 s steps within a minute either way; the player shifts the
-- cues by it (on top of an auto-sync, which is already in the served track).
CREATE TABLE library_subtitle_offsets (
    user_id         uuid          NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    subtitle_id     uuid          NOT NULL REFERENCES library_subtitles (id) ON DELETE CASCADE,
    library_item_id uuid          NOT NULL REFERENCES library_items (id) ON DELETE CASCADE,
    offset_seconds  numeric(4,1)  NOT NULL CHECK (offset_seconds BETWEEN -60 AND 60),
    updated_at      timestamptz   NOT NULL DEFAULT now(),
    PRIMARY KEY (user_id, subtitle_id)
);
CREATE INDEX library_subtitle_offsets_user_item_idx ON library_subtitle_offsets (user_id, library_item_id);
CREATE INDEX library_subtitle_offsets_subtitle_idx ON library_subtitle_offsets (subtitle_id);
COMMENT ON TABLE library_subtitle_offsets IS 'A viewer''s manual subtitle offset per track (the player''s -/+ 0.1 s).';
