ALTER TABLE media_server_items DROP COLUMN source_tag;
