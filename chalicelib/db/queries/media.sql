-- Remux/HLS variants of library items (library_variants), made by the worker's media loop.

-- name: media_variants_of(item_id)
SELECT * FROM library_variants WHERE library_item_id = :item_id ORDER BY mode;

-- name: media_variant_request(item_id, mode, source_key, output_prefix, retry_after, requested_by)^
-- Put a preparation in line ('queued': media.prepare goes out when the
-- dispatcher gives it a slot): a new variant, one made from another original
-- (another key, or other content: the prefix names the original's sha256), or
-- one that failed or was sent and never answered, retry_after seconds on.
-- Returns nothing when it is already in line or under way, so two clicks (or
-- two users) ask once and it counts against the first asker (a concurrent
-- insert waits on the row lock).
INSERT INTO library_variants (library_item_id, mode, source_key, state, output_prefix, requested_by)
VALUES (:item_id, :mode, :source_key, 'queued', :output_prefix, :requested_by)
ON CONFLICT (library_item_id, mode) DO UPDATE
SET state = 'queued', source_key = EXCLUDED.source_key, output_prefix = EXCLUDED.output_prefix,
    requested_by = EXCLUDED.requested_by, sent_at = NULL,
    playlist_key = NULL, output_key = NULL, size_bytes = NULL, error = NULL, requested_at = now(),
    reported_at = NULL, updated_at = now()
WHERE library_variants.source_key <> EXCLUDED.source_key OR library_variants.output_prefix <> EXCLUDED.output_prefix
   OR (library_variants.state IN ('requested', 'failed')
       AND library_variants.updated_at < now() - make_interval(secs => :retry_after))
RETURNING *;

-- name: media_lock_dispatch()$
-- Serialises every decision about the media loop's slots (asks, releases); released at commit.
SELECT pg_advisory_xact_lock(hashtext('seen:media:dispatch'))::text;

-- name: media_slot_holders(retry_after, running_for)
-- Per requester, the preparations holding a slot: sent and not yet answered for
-- retry_after seconds, or running (reported within running_for seconds).
SELECT requested_by, count(*) AS n FROM library_variants
WHERE (state = 'requested' AND sent_at > now() - make_interval(secs => :retry_after))
   OR (state = 'running' AND updated_at > now() - make_interval(secs => :running_for))
GROUP BY requested_by;

-- name: media_waiting(retry_after, running_for, limit)
-- The line, in the order slots are given: round robin across requesters (a
-- requester's k-th waiting row comes after every requester's (k-1)-th, counting
-- the slots each already holds), oldest first within one requester. position is
-- 1 for the next one to go.
WITH held AS (
    SELECT requested_by, count(*) AS n FROM library_variants
    WHERE (state = 'requested' AND sent_at > now() - make_interval(secs => :retry_after))
       OR (state = 'running' AND updated_at > now() - make_interval(secs => :running_for))
    GROUP BY requested_by
), waiting AS (
    SELECT *, row_number() OVER (PARTITION BY requested_by ORDER BY requested_at, library_item_id, mode) AS user_rank
    FROM library_variants WHERE state = 'queued'
)
SELECT w.*, row_number() OVER (ORDER BY coalesce(h.n, 0) + w.user_rank, w.requested_at, w.library_item_id,
                                        w.mode) AS position
FROM waiting AS w LEFT JOIN held AS h ON h.requested_by IS NOT DISTINCT FROM w.requested_by
ORDER BY position
LIMIT :limit;

-- name: media_variant_release(item_id, mode)^
-- A waiting preparation takes a slot (under media_lock_dispatch); media.prepare is sent in the same transaction.
UPDATE library_variants SET state = 'requested', sent_at = now(), updated_at = now()
WHERE library_item_id = :item_id AND mode = :mode AND state = 'queued'
RETURNING *;

-- name: media_variant_apply(item_id, mode, source_key, state, playlist_key, output_key, size_bytes, error, sent_at)^
-- A media.prepared event: applied unless it is older than the last one applied,
-- about another original (key, or outputs outside the requested prefix), or a
-- late "running" after "completed".
UPDATE library_variants
SET state = :state, playlist_key = coalesce(:playlist_key, playlist_key),
    output_key = coalesce(:output_key, output_key), size_bytes = coalesce(:size_bytes, size_bytes),
    error = :error, reported_at = :sent_at, updated_at = now()
WHERE library_item_id = :item_id AND mode = :mode AND source_key = :source_key
  AND starts_with(coalesce(:playlist_key::text, :output_key::text, output_prefix), output_prefix)
  AND (reported_at IS NULL OR reported_at <= :sent_at)
  AND NOT (state = 'completed' AND :state <> 'completed')
RETURNING *;
