DROP TABLE IF EXISTS library_variants;
