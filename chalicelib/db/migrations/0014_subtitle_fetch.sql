-- Subtitles fetched from OpenSubtitles (issue 20, item 3).
-- library_items.oshash: OpenSubtitles' moviehash of the file (worker, at scan time), to find subtitles
-- made for exactly this file. A fetched track is a library_subtitles row of source 'opensubtitles'
-- (external_id = OpenSubtitles' file_id). library_subtitle_searches remembers each (item, language)
-- asked for, so a language OpenSubtitles has nothing in is not asked again before the cooldown ends.
-- user_preferences.subtitle_languages: the user's subtitle languages in order (the first is
-- subtitle_language, kept for older clients).
-- depends: 0013_quality_profile
ALTER TABLE library_items ADD COLUMN oshash text CHECK (oshash ~ '^[0-9a-f]{16}$');

ALTER TABLE library_subtitles DROP CONSTRAINT library_subtitles_source_check;
ALTER TABLE library_subtitles ADD CONSTRAINT library_subtitles_source_check
    CHECK (source IN ('sidecar', 'embedded', 'opensubtitles'));
ALTER TABLE library_subtitles ADD COLUMN external_id text;

CREATE TABLE library_subtitle_searches (
    library_item_id  uuid        NOT NULL REFERENCES library_items (id) ON DELETE CASCADE,
    language         text        NOT NULL CHECK (language ~ '^[A-Za-z]{2,3}([-_][A-Za-z0-9]{2,8})*$'),
    searched_at      timestamptz NOT NULL DEFAULT now(),
    found            boolean     NOT NULL DEFAULT false,
    PRIMARY KEY (library_item_id, language)
);
COMMENT ON TABLE library_subtitle_searches IS 'OpenSubtitles searches per item and language (the cooldown).';

ALTER TABLE user_preferences ADD COLUMN subtitle_languages text[] NOT NULL DEFAULT '{}'
    CHECK (cardinality(subtitle_languages) <= 10);
