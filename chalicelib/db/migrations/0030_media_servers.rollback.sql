DELETE FROM release_events WHERE source = 'mediaserver';
ALTER TABLE release_events DROP CONSTRAINT release_events_source_check,
    ADD CONSTRAINT release_events_source_check CHECK (source IN ('tmdb', 'igdb', 'demo'));
DROP TABLE media_server_items;
DROP TABLE media_server_syncs;
DROP TABLE media_servers;
