DROP TABLE imdb_segments;

CREATE TABLE imdb_chunks (
    file  text   NOT NULL,
    chunk bigint NOT NULL,
    hash  bigint NOT NULL,
    PRIMARY KEY (file, chunk)
);
COMMENT ON TABLE imdb_chunks IS 'Hash of the raw lines of each applied key-range chunk of an IMDb file.';
