-- Waiting preparations were never sent: without the queue they are simply asked for again on the next play.
DELETE FROM library_variants WHERE state = 'queued';
DROP INDEX library_variants_waiting;
DROP INDEX library_variants_requested_by;
ALTER TABLE library_variants DROP COLUMN sent_at, DROP COLUMN requested_by;
ALTER TABLE library_variants DROP CONSTRAINT library_variants_state_check;
ALTER TABLE library_variants ADD CONSTRAINT library_variants_state_check
    CHECK (state IN ('requested', 'running', 'completed', 'failed'));
