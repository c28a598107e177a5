-- Browser-playable variants the worker's media loop makes on demand (issue 20,
-- "every file plays"): an MP4 remux, or HLS with the audio transcoded
-- (hls_audio) or everything transcoded (hls). One row per item and mode; the
-- row's state de-duplicates requests (two clicks send one media.prepare) and
-- records how far the worker got. source_key is the original the variant was
-- made from; reported_at the sentAt of the last worker event applied, so a
-- late or redelivered event never moves a variant backwards.
CREATE TABLE library_variants (
    library_item_id  uuid        NOT NULL REFERENCES library_items (id) ON DELETE CASCADE,
    mode             text        NOT NULL CHECK (mode IN ('remux', 'hls_audio', 'hls')),
    source_key       text        NOT NULL CHECK (source_key <> ''),
    state            text        NOT NULL CHECK (state IN ('requested', 'running', 'completed', 'failed')),
    output_prefix    text,
    playlist_key     text,
    output_key       text,
    size_bytes       bigint      CHECK (size_bytes >= 0),
    error            text,
    requested_at     timestamptz NOT NULL DEFAULT now(),
    reported_at      timestamptz,
    updated_at       timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (library_item_id, mode)
);
COMMENT ON TABLE library_variants IS 'Remux/HLS variants of a library item made by the worker on demand.';
