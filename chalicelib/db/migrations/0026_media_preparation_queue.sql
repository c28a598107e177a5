-- Fair share of the worker's media loop (issue 33, item 6): a remux/HLS
-- preparation is first 'queued' (who asked, when) and media.prepare is sent
-- only when it gets a slot: at most SEEN_TRANSCODE_PER_USER in flight per
-- requester and SEEN_TRANSCODE_CONCURRENCY in all. A variant several users
-- ask for is one row and counts against requested_by, the first asker.
-- sent_at: when media.prepare was sent (a sent request that is never
-- answered stops holding its slot after playmodes.RETRY_AFTER).
ALTER TABLE library_variants DROP CONSTRAINT library_variants_state_check;
ALTER TABLE library_variants ADD CONSTRAINT library_variants_state_check
    CHECK (state IN ('queued', 'requested', 'running', 'completed', 'failed'));
ALTER TABLE library_variants
    ADD COLUMN requested_by uuid REFERENCES users (id) ON DELETE SET NULL,
    ADD COLUMN sent_at      timestamptz;
UPDATE library_variants SET sent_at = requested_at;  -- every earlier row was sent when requested

-- Slot holders and waiting rows per requester (the dispatcher counts and orders by them).
CREATE INDEX library_variants_requested_by ON library_variants (requested_by, state, requested_at);
-- The waiting line, oldest first, across users.
CREATE INDEX library_variants_waiting ON library_variants (requested_at) WHERE state = 'queued';
