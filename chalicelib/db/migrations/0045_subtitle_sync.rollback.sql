-- The synced tracks stay in the bucket under their originals' variants; asked again, they are answered
-- from there without decoding the file.
DROP TABLE IF EXISTS library_subtitle_offsets;
DROP TABLE IF EXISTS library_subtitle_syncs;
