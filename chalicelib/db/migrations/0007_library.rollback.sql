DROP TABLE library_scans;
DROP TABLE library_subtitles;
DROP TABLE library_streams;
DROP TABLE library_items;
