DROP TABLE search_cache;
DROP TABLE indexers;
