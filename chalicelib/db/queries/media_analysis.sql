-- Intro/credits and trickplay of library files (library_analyses, library_segments): media.analyze asked
-- of the worker, media.analyzed applied.

-- name: analysis_lock()$
-- Serialises the decisions to ask (two batches of one season ask once); released at commit.
SELECT pg_advisory_xact_lock(hashtext('seen:media:analysis'))::text;

-- name: analysis_season_files(item_id, limit)
-- The files analysed together with an item, the item first: its season's. A file matched to an episode:
-- the files matched to the same show and season; otherwise the unmatched episode files of its folder with
-- the same parsed season. An ignored file is nobody's sibling. With each, what was asked and found so far.
WITH me AS (
    SELECT li.id, li.media_id, li.episode_id, li.match_state, li.guess, e.season_number,
           regexp_replace(li.source_path, '[^/\\]*$', '') AS folder
    FROM library_items AS li LEFT JOIN episodes AS e ON e.id = li.episode_id
    WHERE li.id = :item_id
)
SELECT li.id, li.storage_key, li.sha256, a.output_prefix, a.segments_asked, a.segments_compared,
       a.trickplay_asked, a.trickplay_prefix, a.requested_at
FROM me
JOIN library_items AS li ON me.match_state <> 'ignored' AND (li.id = me.id OR (
    li.match_state <> 'ignored' AND (
        (me.match_state = 'matched' AND me.episode_id IS NOT NULL AND li.match_state = 'matched'
         AND li.media_id = me.media_id
         AND EXISTS (SELECT 1 FROM episodes AS e WHERE e.id = li.episode_id AND e.season_number = me.season_number))
        OR (me.episode_id IS NULL AND li.episode_id IS NULL AND me.guess->>'type' = 'episode'
            AND li.guess->>'type' = 'episode' AND regexp_replace(li.source_path, '[^/\\]*$', '') = me.folder
            AND (li.guess->'season') IS NOT DISTINCT FROM (me.guess->'season')))))
LEFT JOIN library_analyses AS a ON a.library_item_id = li.id
ORDER BY li.id = me.id DESC, li.file_name, li.id
LIMIT :limit;

-- name: analysis_forget(item_id)!
-- The file was replaced (another original): what was asked and found was about the old one.
WITH gone AS (DELETE FROM library_segments WHERE library_item_id = :item_id)
DELETE FROM library_analyses WHERE library_item_id = :item_id;

-- name: analysis_request(item_id, source_key, output_prefix, segments_asked, trickplay_asked)!
-- media.analyze is being sent: segments_asked (the season's size) when segments are asked, else kept;
-- trickplay_asked once asked.
INSERT INTO library_analyses (library_item_id, source_key, output_prefix, segments_asked, trickplay_asked)
VALUES (:item_id, :source_key, :output_prefix, coalesce(:segments_asked, 0), :trickplay_asked)
ON CONFLICT (library_item_id) DO UPDATE
SET segments_asked = coalesce(:segments_asked, library_analyses.segments_asked),
    trickplay_asked = library_analyses.trickplay_asked OR EXCLUDED.trickplay_asked,
    requested_at = now(), updated_at = now();

-- name: analysis_apply(item_id, source_key, has_segments, compared, trickplay_prefix, trickplay_interval, trickplay_cols, trickplay_rows, trickplay_count, trickplay_width, trickplay_height, error, sent_at)^
-- A media.analyzed: applied unless older than the last one applied or about another original (its key, or
-- sprites outside the requested prefix).
UPDATE library_analyses
SET segments_compared = CASE WHEN :has_segments THEN :compared ELSE segments_compared END,
    trickplay_prefix = coalesce(:trickplay_prefix, trickplay_prefix),
    trickplay_interval = coalesce(:trickplay_interval, trickplay_interval),
    trickplay_cols = coalesce(:trickplay_cols, trickplay_cols),
    trickplay_rows = coalesce(:trickplay_rows, trickplay_rows),
    trickplay_count = coalesce(:trickplay_count, trickplay_count),
    trickplay_width = coalesce(:trickplay_width, trickplay_width),
    trickplay_height = coalesce(:trickplay_height, trickplay_height),
    error = :error, reported_at = :sent_at, updated_at = now()
WHERE library_item_id = :item_id AND source_key = :source_key
  AND starts_with(coalesce(:trickplay_prefix::text, output_prefix), output_prefix)
  AND (reported_at IS NULL OR reported_at <= :sent_at)
RETURNING *;

-- name: analysis_delete_segments(item_id)!
DELETE FROM library_segments WHERE library_item_id = :item_id;

-- name: analysis_insert_segments(item_id, segments)!
-- After analysis_delete_segments: the file's segments become exactly these ([{kind, start, end, source}]).
INSERT INTO library_segments (library_item_id, kind, start_seconds, end_seconds, source)
SELECT :item_id, s.kind, s.start, s."end", s.source
FROM jsonb_to_recordset(:segments) AS s(kind text, start numeric, "end" numeric, source text)
ON CONFLICT (library_item_id, kind) DO NOTHING;

-- name: analysis_segments_of(item_id)
SELECT kind, start_seconds, end_seconds, source FROM library_segments
WHERE library_item_id = :item_id ORDER BY start_seconds;

-- name: analysis_of(item_id)^
SELECT * FROM library_analyses WHERE library_item_id = :item_id;

-- name: analysis_in_flight(retry_after)$
-- Files asked of the worker and not answered since (within retry_after seconds: an older request was lost).
SELECT count(*) FROM library_analyses
WHERE requested_at > now() - make_interval(secs => :retry_after)
  AND (reported_at IS NULL OR reported_at < requested_at);

-- name: analysis_never_asked(limit)
-- Files nothing was asked of yet (held back while the worker had enough in hand), oldest first.
SELECT li.id FROM library_items AS li
WHERE li.match_state <> 'ignored'
  AND NOT EXISTS (SELECT 1 FROM library_analyses AS a WHERE a.library_item_id = li.id)
ORDER BY li.created_at, li.id
LIMIT :limit;
