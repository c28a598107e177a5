-- Cheap re-syncs of media servers (issue 36): the server's own change marker of each mirrored item (Jellyfin's
-- Etag, Plex's updatedAt, else a hash of the item's JSON), salted with the reader's version and the server's
-- address. A re-sync compares it before reading the item: an item whose marker is unchanged is only seen.
ALTER TABLE media_server_items ADD COLUMN source_tag text;
