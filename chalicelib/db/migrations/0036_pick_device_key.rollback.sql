-- Back to one current pick per (user, media, season, episode, profile): of the current picks that differ only
-- by device, the newest stays current and the others join the audit trail (replaced, no successor).
UPDATE picks p SET replaced_at = now()
WHERE p.replaced_at IS NULL AND EXISTS (
    SELECT 1 FROM picks q
    WHERE q.replaced_at IS NULL AND q.user_id = p.user_id AND q.media_id = p.media_id
      AND q.season IS NOT DISTINCT FROM p.season AND q.episode IS NOT DISTINCT FROM p.episode
      AND q.profile_hash = p.profile_hash AND (q.created_at, q.id) > (p.created_at, p.id));
DROP INDEX picks_current_key;
CREATE UNIQUE INDEX picks_current_key ON picks (user_id, media_id, season, episode, profile_hash)
    NULLS NOT DISTINCT WHERE replaced_at IS NULL;
ALTER TABLE picks DROP COLUMN device_key;
