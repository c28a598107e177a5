-- The IMDb import's change detection moves from fixed key-range chunks to segments (from one key ending
-- in 0 to the next) that also keep a hash per key: a changed segment restages only its changed keys.
-- The old chunk hashes mean nothing to the new reader: they go (the next import of a changed file
-- re-reads it once and writes only what differs; unchanged files are still skipped by their SHA-256).
DROP TABLE imdb_chunks;

CREATE TABLE imdb_segments (
    file       text     NOT NULL,
    segment    bigint   NOT NULL,  -- the numeric part of its first key
    hash       bigint   NOT NULL,  -- of its bytes
    keys       bigint[] NOT NULL,  -- its keys (numeric part) ...
    key_hashes bigint[] NOT NULL,  -- ... and the hash of each key's lines
    PRIMARY KEY (file, segment),
    CHECK (cardinality(keys) = cardinality(key_hashes))
);
COMMENT ON TABLE imdb_segments IS
    'What each applied segment of an IMDb file held: its hash and per-key hashes (chalicelib/imdb/parse.py).';
