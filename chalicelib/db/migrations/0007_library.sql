-- Media library: indexed files in the bucket, their playable variants and
-- subtitles, and rescan requests. The library is instance-wide (shared by all
-- users of the instance), so these tables carry no user_id.
-- depends: 0006_downloads

-- One row per media object in the bucket, upserted idempotently by
-- storage_key from library.file_indexed. match_source = manual marks a match
-- made by a person: re-indexing must keep it.
CREATE TABLE library_items (
    id               uuid         PRIMARY KEY DEFAULT gen_random_uuid(),
    storage_key      text         NOT NULL UNIQUE CHECK (storage_key <> ''),
    -- Path on the home server where the scanner found the file.
    source_path      text,
    file_name        text         NOT NULL CHECK (file_name <> ''),
    size_bytes       bigint       NOT NULL CHECK (size_bytes >= 0),
    mtime            timestamptz,
    sha256           text         CHECK (sha256 ~ '^[0-9a-f]{64}$'),
    match_state      text         NOT NULL DEFAULT 'unmatched' CHECK (match_state IN ('matched', 'unmatched', 'ignored')),
    match_confidence numeric(4,3) CHECK (match_confidence >= 0 AND match_confidence <= 1),
    match_source     text         CHECK (match_source IN ('auto', 'manual')),
    -- Best candidates from the matcher, for the review queue:
    -- [{mediaId, episodeId, confidence, ...}].
    match_candidates jsonb        NOT NULL DEFAULT '[]' CHECK (jsonb_typeof(match_candidates) = 'array'),
    matched_at       timestamptz,
    matched_by       uuid         REFERENCES users (id) ON DELETE SET NULL,
    -- Soft references: deleting a catalog row unlinks the file, never deletes
    -- it. (No CHECK tying matched to media_id IS NOT NULL for that reason: the
    -- SET NULL would violate it. The service treats matched-without-media as
    -- unmatched.) For a multi-episode file episode_id is the first episode,
    -- the full range stays in guess.
    media_id         bigint       REFERENCES media_items (id) ON DELETE SET NULL,
    episode_id       bigint,
    -- The scanner's parse: title, year, type, season, episode, absolute,
    -- airDate, edition, ...
    guess            jsonb        NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(guess) = 'object'),
    -- ffprobe output (trimmed) and, when probing failed, why: such items are
    -- indexed with what is known and flagged by probe_error.
    probe            jsonb,
    probe_error      text,
    container        text,
    duration_seconds numeric(10,3) CHECK (duration_seconds >= 0),
    width            integer      CHECK (width > 0),
    height           integer      CHECK (height > 0),
    video_codec      text,
    audio_codecs     text[]       NOT NULL DEFAULT '{}',
    audio_languages  text[]       NOT NULL DEFAULT '{}',
    source_job_id    uuid         REFERENCES download_jobs (id) ON DELETE SET NULL,
    indexed_at       timestamptz  NOT NULL DEFAULT now(),
    created_at       timestamptz  NOT NULL DEFAULT now(),
    updated_at       timestamptz  NOT NULL DEFAULT now(),
    -- SET NULL (episode_id) only: deleting an episode unlinks it but keeps
    -- the show link.
    CONSTRAINT library_items_episode_fkey FOREIGN KEY (episode_id, media_id)
        REFERENCES episodes (id, media_id) ON DELETE SET NULL (episode_id)
);
CREATE INDEX library_items_file_name_trgm_idx ON library_items USING gin (lower(file_name) gin_trgm_ops);
CREATE INDEX library_items_match_state_idx ON library_items (match_state, created_at DESC);
CREATE INDEX library_items_media_idx ON library_items (media_id);
CREATE INDEX library_items_episode_idx ON library_items (episode_id);
CREATE INDEX library_items_source_job_idx ON library_items (source_job_id) WHERE source_job_id IS NOT NULL;
CREATE INDEX library_items_source_path_idx ON library_items (source_path);
CREATE INDEX library_items_created_idx ON library_items (created_at DESC, id);
CREATE INDEX library_items_matched_by_idx ON library_items (matched_by) WHERE matched_by IS NOT NULL;
COMMENT ON TABLE library_items IS 'Indexed media files (objects in the bucket) and what they are matched to.';

-- Playable objects of an item: the original, and an MP4 stream-copy remux
-- when the container is not browser-playable but the codecs are.
CREATE TABLE library_streams (
    id               uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
    library_item_id  uuid        NOT NULL REFERENCES library_items (id) ON DELETE CASCADE,
    kind             text        NOT NULL CHECK (kind IN ('original', 'mp4_remux')),
    storage_key      text        NOT NULL UNIQUE CHECK (storage_key <> ''),
    mime_type        text        NOT NULL CHECK (mime_type ~ '^[a-z]+/[A-Za-z0-9.+-]+'),
    container        text,
    size_bytes       bigint      CHECK (size_bytes >= 0),
    sha256           text        CHECK (sha256 ~ '^[0-9a-f]{64}$'),
    created_at       timestamptz NOT NULL DEFAULT now(),
    updated_at       timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT library_streams_item_kind_key UNIQUE (library_item_id, kind)
);
COMMENT ON TABLE library_streams IS 'Playable variants of a library item (original, MP4 remux).';

-- Subtitles converted to WebVTT and stored in the bucket. format is the
-- original format (subrip -> srt, webvtt -> vtt), storage_key the .vtt.
CREATE TABLE library_subtitles (
    id               uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
    library_item_id  uuid        NOT NULL REFERENCES library_items (id) ON DELETE CASCADE,
    -- BCP 47-ish tag, 'und' when unknown.
    language         text        NOT NULL DEFAULT 'und' CHECK (language ~ '^[A-Za-z]{2,3}([-_][A-Za-z0-9]{2,8})*$'),
    label            text,
    storage_key      text        NOT NULL UNIQUE CHECK (storage_key <> ''),
    source           text        NOT NULL CHECK (source IN ('sidecar', 'embedded')),
    format           text        NOT NULL CHECK (format IN ('srt', 'ass', 'ssa', 'vtt', 'mov_text')),
    -- ffprobe stream index for embedded tracks.
    stream_index     integer     CHECK (stream_index >= 0),
    is_default       boolean     NOT NULL DEFAULT false,
    is_forced        boolean     NOT NULL DEFAULT false,
    created_at       timestamptz NOT NULL DEFAULT now(),
    updated_at       timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX library_subtitles_item_idx ON library_subtitles (library_item_id);
COMMENT ON TABLE library_subtitles IS 'WebVTT subtitle tracks of a library item (sidecar or embedded).';

-- Rescan requests (POST /library/rescan, schedule, completed downloads).
CREATE TABLE library_scans (
    id               uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
    requested_by     uuid        REFERENCES users (id) ON DELETE SET NULL,
    trigger          text        NOT NULL DEFAULT 'manual' CHECK (trigger IN ('manual', 'schedule', 'download')),
    -- Roots or sub-paths to scan; [] = every configured root.
    paths            jsonb       NOT NULL DEFAULT '[]' CHECK (jsonb_typeof(paths) = 'array'),
    status           text        NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'running', 'completed', 'failed')),
    accepted_count   integer     NOT NULL DEFAULT 0 CHECK (accepted_count >= 0),
    indexed_count    integer     NOT NULL DEFAULT 0 CHECK (indexed_count >= 0),
    error            text,
    created_at       timestamptz NOT NULL DEFAULT now(),
    updated_at       timestamptz NOT NULL DEFAULT now(),
    started_at       timestamptz,
    finished_at      timestamptz
);
CREATE INDEX library_scans_created_idx ON library_scans (created_at DESC);
CREATE INDEX library_scans_requested_by_idx ON library_scans (requested_by) WHERE requested_by IS NOT NULL;
COMMENT ON TABLE library_scans IS 'Library rescan requests and their outcome.';
