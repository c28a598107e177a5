-- Custom genres (issue 37, item 6): genres no upstream has ("Cooking", "Dating") that an admin assigns through an
-- export -> review -> import round trip. A custom genre is a genre of source 'custom' (so the genre filter, the
-- genre list and Discover treat it like any other), with the keywords that suggest titles for review. Each
-- decision is kept, so a rejected suggestion is never offered again and an approved one survives re-syncs.
ALTER TABLE genres DROP CONSTRAINT genres_source_check;
ALTER TABLE genres ADD CONSTRAINT genres_source_check CHECK (source IN ('tmdb', 'igdb', 'local', 'imdb', 'custom'));
ALTER TABLE genres DROP CONSTRAINT genres_external_id_check;
ALTER TABLE genres ADD CONSTRAINT genres_external_id_check
    CHECK (source IN ('local', 'imdb', 'custom') OR external_id IS NOT NULL);
ALTER TABLE genres ADD COLUMN keywords text[] NOT NULL DEFAULT '{}'
    CHECK (source = 'custom' OR cardinality(keywords) = 0);

CREATE TABLE genre_reviews (
    media_id    bigint      NOT NULL REFERENCES media_items (id) ON DELETE CASCADE,
    genre_id    bigint      NOT NULL REFERENCES genres (id) ON DELETE CASCADE,
    decision    text        NOT NULL CHECK (decision IN ('approved', 'rejected')),
    decided_by  uuid        REFERENCES users (id) ON DELETE SET NULL,
    decided_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (genre_id, media_id)
);
CREATE INDEX genre_reviews_media_idx ON genre_reviews (media_id);

-- Discover's genre carousels (a movie row and a show row per leading genre, interleaved) are materialised like
-- the curated rows, after every catalog sync.
ALTER TABLE discover_sections DROP CONSTRAINT discover_sections_source_check;
ALTER TABLE discover_sections ADD CONSTRAINT discover_sections_source_check
    CHECK (source IN ('tmdb', 'igdb', 'curated', 'demo', 'genre'));
