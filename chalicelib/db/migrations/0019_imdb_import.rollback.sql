DROP TABLE imdb_ratings;
DROP TABLE imdb_episode_info;
DROP TABLE imdb_chunks;
DROP TABLE imdb_files;
DROP TABLE imdb_runs;
