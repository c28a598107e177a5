DROP TABLE monitored_shows;
DROP TABLE wanted;
DROP TABLE picks;
ALTER TABLE download_jobs DROP CONSTRAINT download_jobs_link_check;
DROP INDEX download_jobs_media_idx;
ALTER TABLE download_jobs DROP COLUMN episode, DROP COLUMN season, DROP COLUMN media_id;
