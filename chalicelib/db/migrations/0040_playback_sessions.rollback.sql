DROP TABLE playback_sessions;
ALTER TABLE user_preferences DROP COLUMN stall_switch_seconds;
ALTER TABLE picks DROP COLUMN replaced_reason;
-- A fallback pick becomes a best one (the closest of the old reasons: the top candidate left).
UPDATE picks SET reason = 'best' WHERE reason = 'fallback';
ALTER TABLE picks DROP CONSTRAINT picks_reason_check;
ALTER TABLE picks ADD CONSTRAINT picks_reason_check CHECK (reason IN ('best', 'chosen', 'monitor'));
