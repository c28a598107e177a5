-- Typo-tolerant title search (issue 22): the dictionary of title words and their one-letter deletions.
-- search_words holds every distinct word of the catalog's titles (the words of media_items.search_tsv);
-- search_word_variants every word of 4+ letters with one letter deleted ("matrix" -> "atrix", "mtrix", ...).
-- A query word one edit away from a title word (a dropped, doubled, swapped or wrong letter) shares a
-- deletion with it (the symmetric-delete spelling correction), so correcting a word is a few primary-key
-- lookups, and the corrected words are then found by the full-text index: far cheaper than a trigram scan
-- of every title. Statement triggers keep both filled as the catalog is written; words are never removed
-- (a stale word only costs a correction that matches nothing).
-- depends: 0016_playback
CREATE TABLE search_words (
    word text PRIMARY KEY
);
CREATE TABLE search_word_variants (
    variant text NOT NULL,
    word    text NOT NULL REFERENCES search_words (word) ON DELETE CASCADE,
    PRIMARY KEY (variant, word)
);
COMMENT ON TABLE search_words IS 'Distinct title words of the catalog: the spelling dictionary of the search.';
COMMENT ON TABLE search_word_variants IS 'Each dictionary word of 4+ letters with one letter deleted (typo lookup).';

CREATE FUNCTION search_words_add() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    WITH added AS (
        INSERT INTO search_words (word)
        SELECT DISTINCT w FROM new_rows, unnest(tsvector_to_array(new_rows.search_tsv)) AS w
        ON CONFLICT DO NOTHING
        RETURNING word
    )
    INSERT INTO search_word_variants (variant, word)
    SELECT DISTINCT overlay(a.word PLACING '' FROM i FOR 1), a.word
    FROM added a, generate_series(1, char_length(a.word)) AS i
    WHERE char_length(a.word) BETWEEN 4 AND 40
    ON CONFLICT DO NOTHING;
    RETURN NULL;
END
$$;

-- One trigger per event: a trigger with a transition table may only have one.
CREATE TRIGGER media_items_search_words_insert AFTER INSERT ON media_items
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION search_words_add();
CREATE TRIGGER media_items_search_words_update AFTER UPDATE ON media_items
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION search_words_add();

-- The titles already there.
INSERT INTO search_words (word)
SELECT DISTINCT w FROM media_items, unnest(tsvector_to_array(search_tsv)) AS w;
INSERT INTO search_word_variants (variant, word)
SELECT DISTINCT overlay(s.word PLACING '' FROM i FOR 1), s.word
FROM search_words s, generate_series(1, char_length(s.word)) AS i
WHERE char_length(s.word) BETWEEN 4 AND 40;
