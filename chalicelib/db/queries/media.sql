-- Remux/HLS variants of library items (library_variants), made by the worker's media loop.

-- name: media_variants_of(item_id)
SELECT * FROM library_variants WHERE library_item_id = :item_id ORDER BY mode;

-- name: media_variant_request(item_id, mode, source_key, output_prefix, retry_after)^
-- Claim the right to send media.prepare: a new variant, one made from another
-- original (another key, or other content: the prefix names the original's
-- sha256), or one that failed or was never answered, retry_after seconds on. Returns nothing when a request is already under way, so
-- two clicks send one command (a concurrent insert waits on the row lock).
INSERT INTO library_variants (library_item_id, mode, source_key, state, output_prefix)
VALUES (:item_id, :mode, :source_key, 'requested', :output_prefix)
ON CONFLICT (library_item_id, mode) DO UPDATE
SET state = 'requested', source_key = EXCLUDED.source_key, output_prefix = EXCLUDED.output_prefix,
    playlist_key = NULL, output_key = NULL, size_bytes = NULL, error = NULL, requested_at = now(),
    reported_at = NULL, updated_at = now()
WHERE library_variants.source_key <> EXCLUDED.source_key OR library_variants.output_prefix <> EXCLUDED.output_prefix
   OR (library_variants.state IN ('requested', 'failed')
       AND library_variants.updated_at < now() - make_interval(secs => :retry_after))
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
