DELETE FROM download_jobs WHERE source_type = 'video';
ALTER TABLE download_jobs DROP CONSTRAINT download_jobs_source_type_check,
    ADD CONSTRAINT download_jobs_source_type_check CHECK (source_type IN ('magnet', 'torrent', 'direct', 'http'));
DELETE FROM release_events WHERE source = 'channel' OR kind = 'video_release';
ALTER TABLE release_events DROP CONSTRAINT release_events_source_check,
    ADD CONSTRAINT release_events_source_check CHECK (source IN ('tmdb', 'igdb', 'demo', 'mediaserver'));
ALTER TABLE release_events DROP CONSTRAINT release_events_kind_check,
    ADD CONSTRAINT release_events_kind_check CHECK (kind IN (
        'movie_release', 'episode_air', 'season_premiere', 'game_release', 'dlc_release'));
DROP TABLE channel_videos;
DROP TABLE channel_follows;
DROP TABLE channels;
DELETE FROM media_items WHERE media_type = 'video';
ALTER TABLE media_items DROP CONSTRAINT media_items_media_type_check,
    ADD CONSTRAINT media_items_media_type_check CHECK (media_type IN ('movie', 'show', 'game'));
