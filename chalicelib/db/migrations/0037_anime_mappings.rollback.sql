DROP TABLE IF EXISTS anime_mappings;
