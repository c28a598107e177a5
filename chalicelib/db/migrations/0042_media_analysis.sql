-- Skip intro/credits and scrub previews (issue 38, items 2 and 3). The worker's media.analyze finds a
-- file's intro and credits (fingerprints compared across its season; chapters win) and makes its trickplay
-- sprites; media.analyzed brings them here. Library files are instance-wide, so these rows carry no user_id
-- (like library_items); the stream route that serves them needs a signed-in user.

-- One row per file once analysis was asked for. segments_asked / segments_compared: how many files of the
-- season the last request named / the last answer was compared with, so a new episode asks again (its
-- arrival may give the older episodes an intro they could not have alone). reported_at: the sentAt of the
-- last answer applied, so a late or redelivered answer never moves a file backwards.
CREATE TABLE library_analyses (
    library_item_id    uuid        PRIMARY KEY REFERENCES library_items (id) ON DELETE CASCADE,
    source_key         text        NOT NULL CHECK (source_key <> ''),
    output_prefix      text        NOT NULL CHECK (output_prefix <> ''),
    segments_asked     integer     NOT NULL DEFAULT 0 CHECK (segments_asked >= 0),
    segments_compared  integer     CHECK (segments_compared >= 0),
    trickplay_asked    boolean     NOT NULL DEFAULT false,
    -- The stored sprites (NULL until made): thumbs.vtt and sprite_NNN.jpg under trickplay_prefix.
    trickplay_prefix   text,
    trickplay_interval integer     CHECK (trickplay_interval > 0),
    trickplay_cols     integer     CHECK (trickplay_cols > 0),
    trickplay_rows     integer     CHECK (trickplay_rows > 0),
    trickplay_count    integer     CHECK (trickplay_count > 0),
    trickplay_width    integer     CHECK (trickplay_width > 0),
    trickplay_height   integer     CHECK (trickplay_height > 0),
    error              text,
    requested_at       timestamptz NOT NULL DEFAULT now(),
    reported_at        timestamptz,
    updated_at         timestamptz NOT NULL DEFAULT now()
);
COMMENT ON TABLE library_analyses IS 'media.analyze requests and outcomes per library file (intro/credits, trickplay).';

-- The skippable stretches of a file, exactly those of its last applied media.analyzed.
CREATE TABLE library_segments (
    library_item_id uuid          NOT NULL REFERENCES library_items (id) ON DELETE CASCADE,
    kind            text          NOT NULL CHECK (kind IN ('intro', 'credits')),
    start_seconds   numeric(10,3) NOT NULL CHECK (start_seconds >= 0),
    end_seconds     numeric(10,3) NOT NULL,
    source          text          NOT NULL CHECK (source IN ('chapters', 'fingerprint')),
    PRIMARY KEY (library_item_id, kind),
    CHECK (end_seconds > start_seconds)
);
COMMENT ON TABLE library_segments IS 'Intro and credits of a library file, for Skip intro / Skip credits.';
