-- A media server sync's catalog fill (issue 36): the titles a sync found the catalog lacking are added, and the
-- mirror rows linked, right after the sync is completed. fill_started_at claims the fill (a redelivered message
-- takes up one whose process died), filled_at says it is done. Syncs finished before this were filled inline.
ALTER TABLE media_server_syncs ADD COLUMN fill_started_at timestamptz, ADD COLUMN filled_at timestamptz;
UPDATE media_server_syncs SET filled_at = finished_at WHERE status = 'completed';
