DROP TABLE download_uploads;
