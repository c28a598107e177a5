ALTER TABLE user_preferences DROP COLUMN subtitle_languages;
DROP TABLE library_subtitle_searches;
DELETE FROM library_subtitles WHERE source = 'opensubtitles';
ALTER TABLE library_subtitles DROP COLUMN external_id;
ALTER TABLE library_subtitles DROP CONSTRAINT library_subtitles_source_check;
ALTER TABLE library_subtitles ADD CONSTRAINT library_subtitles_source_check
    CHECK (source IN ('sidecar', 'embedded'));
ALTER TABLE library_items DROP COLUMN oshash;
