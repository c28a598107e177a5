DROP TABLE download_files;
DROP TABLE download_events;
DROP TABLE download_jobs;
