-- The worker's analyses stay in the bucket: asked again, they are answered without reading the files.
DROP TABLE IF EXISTS library_segments;
DROP TABLE IF EXISTS library_analyses;
