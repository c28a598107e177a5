-- Media library: indexed files, their streams and subtitles, matching, scans.
-- The library is instance-wide: no user_id on these rows. An item whose
-- match_state is 'matched' but whose media row is gone (media_id SET NULL)
-- reads as 'unmatched' everywhere below.

-- name: library_lock_item_by_key(storage_key)^
SELECT * FROM library_items WHERE storage_key = :storage_key FOR UPDATE;

-- name: library_upsert_item(storage_key, source_path, file_name, size_bytes, mtime, sha256, oshash, guess, probe, probe_error, container, duration_seconds, width, height, video_codec, audio_codecs, audio_languages, source_job_id, indexed_at)^
-- Idempotent by storage_key. The source job is kept when a later event (a
-- rescan) does not name one, and dropped when the job row no longer exists
-- (a soft reference: the file outlives its download). Match columns are the
-- matcher's business (library_set_match), so a manual match survives here.
INSERT INTO library_items AS li (
    storage_key, source_path, file_name, size_bytes, mtime, sha256, oshash, guess, probe, probe_error, container,
    duration_seconds, width, height, video_codec, audio_codecs, audio_languages, source_job_id, indexed_at)
VALUES (:storage_key, :source_path, :file_name, :size_bytes, :mtime, :sha256, :oshash, :guess, :probe,
        :probe_error,
        :container, :duration_seconds, :width, :height, :video_codec, :audio_codecs, :audio_languages,
        (SELECT id FROM download_jobs WHERE id = :source_job_id), :indexed_at)
ON CONFLICT (storage_key) DO UPDATE
SET source_path = EXCLUDED.source_path, file_name = EXCLUDED.file_name, size_bytes = EXCLUDED.size_bytes,
    mtime = EXCLUDED.mtime, sha256 = EXCLUDED.sha256, oshash = EXCLUDED.oshash, guess = EXCLUDED.guess,
    probe = EXCLUDED.probe,
    probe_error = EXCLUDED.probe_error, container = EXCLUDED.container,
    duration_seconds = EXCLUDED.duration_seconds, width = EXCLUDED.width, height = EXCLUDED.height,
    video_codec = EXCLUDED.video_codec, audio_codecs = EXCLUDED.audio_codecs,
    audio_languages = EXCLUDED.audio_languages,
    source_job_id = coalesce(EXCLUDED.source_job_id, li.source_job_id),
    indexed_at = EXCLUDED.indexed_at, updated_at = now()
RETURNING *;

-- name: library_lock_items_by_keys(keys)
-- A batch's rows that exist, locked in key order (two batches never wait on each other in a cycle).
SELECT storage_key, indexed_at FROM library_items WHERE storage_key = ANY(:keys) ORDER BY storage_key FOR UPDATE;

-- name: library_upsert_items(items)
-- library_upsert_item for many files in one statement (a scan's library.files_indexed batch).
-- items: a JSON array of objects named like the columns, one per distinct storage_key.
INSERT INTO library_items AS li (
    storage_key, source_path, file_name, size_bytes, mtime, sha256, oshash, guess, probe, probe_error, container,
    duration_seconds, width, height, video_codec, audio_codecs, audio_languages, source_job_id, indexed_at)
SELECT i.storage_key, i.source_path, i.file_name, i.size_bytes, i.mtime, i.sha256, i.oshash, i.guess, i.probe,
       i.probe_error,
       i.container, i.duration_seconds, i.width, i.height, i.video_codec,
       ARRAY(SELECT jsonb_array_elements_text(i.audio_codecs)),
       ARRAY(SELECT jsonb_array_elements_text(i.audio_languages)),
       (SELECT id FROM download_jobs WHERE id = i.source_job_id), i.indexed_at
FROM jsonb_to_recordset(:items::jsonb)
     AS i(storage_key text, source_path text, file_name text, size_bytes bigint, mtime timestamptz, sha256 text,
          oshash text,
          guess jsonb, probe jsonb, probe_error text, container text, duration_seconds numeric, width int,
          height int, video_codec text, audio_codecs jsonb, audio_languages jsonb, source_job_id uuid,
          indexed_at timestamptz)
ORDER BY i.storage_key
ON CONFLICT (storage_key) DO UPDATE
SET source_path = EXCLUDED.source_path, file_name = EXCLUDED.file_name, size_bytes = EXCLUDED.size_bytes,
    mtime = EXCLUDED.mtime, sha256 = EXCLUDED.sha256, oshash = EXCLUDED.oshash, guess = EXCLUDED.guess,
    probe = EXCLUDED.probe,
    probe_error = EXCLUDED.probe_error, container = EXCLUDED.container,
    duration_seconds = EXCLUDED.duration_seconds, width = EXCLUDED.width, height = EXCLUDED.height,
    video_codec = EXCLUDED.video_codec, audio_codecs = EXCLUDED.audio_codecs,
    audio_languages = EXCLUDED.audio_languages,
    source_job_id = coalesce(EXCLUDED.source_job_id, li.source_job_id),
    indexed_at = EXCLUDED.indexed_at, updated_at = now()
RETURNING *;

-- name: library_delete_streams_except(item_id, keys)!
DELETE FROM library_streams WHERE library_item_id = :item_id AND NOT (storage_key = ANY(:keys));

-- name: library_upsert_streams(item_id, streams)!
-- streams: a JSON array of {kind, key, mimeType, container, size, sha256}.
INSERT INTO library_streams (library_item_id, kind, storage_key, mime_type, container, size_bytes, sha256)
SELECT :item_id, s.kind, s.key, s."mimeType", s.container, s.size, s.sha256
FROM jsonb_to_recordset(:streams::jsonb)
     AS s(kind text, key text, "mimeType" text, container text, size bigint, sha256 text)
ON CONFLICT (library_item_id, kind) DO UPDATE
SET storage_key = EXCLUDED.storage_key, mime_type = EXCLUDED.mime_type, container = EXCLUDED.container,
    size_bytes = EXCLUDED.size_bytes, sha256 = EXCLUDED.sha256, updated_at = now()
WHERE (library_streams.storage_key, library_streams.mime_type, library_streams.container,
       library_streams.size_bytes, library_streams.sha256)
      IS DISTINCT FROM (EXCLUDED.storage_key, EXCLUDED.mime_type, EXCLUDED.container, EXCLUDED.size_bytes,
                        EXCLUDED.sha256);

-- name: library_delete_subtitles_except(item_id, keys)!
-- Tracks fetched from OpenSubtitles are not the worker's: a rescan keeps them.
DELETE FROM library_subtitles
WHERE library_item_id = :item_id AND NOT (storage_key = ANY(:keys)) AND source <> 'opensubtitles';

-- name: library_upsert_subtitles(item_id, subtitles)!
-- subtitles: a JSON array of {key, language, label, source, format, streamIndex, isDefault, isForced}.
INSERT INTO library_subtitles (library_item_id, language, label, storage_key, source, format, stream_index,
                               is_default, is_forced)
SELECT :item_id, s.language, s.label, s.key, s.source, s.format, s."streamIndex", coalesce(s."isDefault", false),
       coalesce(s."isForced", false)
FROM jsonb_to_recordset(:subtitles::jsonb)
     AS s(key text, language text, label text, source text, format text, "streamIndex" int, "isDefault" boolean,
          "isForced" boolean)
ON CONFLICT (storage_key) DO UPDATE
SET language = EXCLUDED.language, label = EXCLUDED.label, source = EXCLUDED.source, format = EXCLUDED.format,
    stream_index = EXCLUDED.stream_index, is_default = EXCLUDED.is_default, is_forced = EXCLUDED.is_forced,
    updated_at = now()
WHERE library_subtitles.library_item_id = EXCLUDED.library_item_id;

-- name: library_job_link(job_id)^
-- What a file's download job was for (a pick's title); no row when the job is not linked to one.
SELECT id, media_id, season, episode FROM download_jobs WHERE id = :job_id AND media_id IS NOT NULL;

-- name: library_set_match(item_id, match_state, match_confidence, match_source, match_candidates, media_id, episode_id, matched_by)!
UPDATE library_items
SET match_state = :match_state, match_confidence = :match_confidence, match_source = :match_source,
    match_candidates = :match_candidates, media_id = :media_id, episode_id = :episode_id,
    matched_by = :matched_by,
    matched_at = CASE WHEN :match_state = 'matched' THEN now() ELSE NULL END,
    updated_at = now()
WHERE id = :item_id;

-- name: library_lock_item(item_id)^
SELECT * FROM library_items WHERE id = :item_id FOR UPDATE;

-- name: library_lock_folder_siblings(item_id, folder)
-- The other items stored directly in the folder ``folder`` (a storage key prefix ending in '/': same
-- library root and parent directory), locked in key order like the batch upsert.
SELECT * FROM library_items
WHERE starts_with(storage_key, :folder) AND strpos(substr(storage_key, length(:folder) + 1), '/') = 0
  AND id <> :item_id
ORDER BY storage_key
FOR UPDATE;

-- name: library_title_candidates(q, prefix, tsquery, types, row_limit)
-- Catalog titles a parsed name may be: a title starting with it, one holding
-- every word, or a trigram-similar one (typos, punctuation). Scoring is the
-- matcher's (rapidfuzz); this only has to bring the right title along.
WITH hits AS (
    SELECT id FROM media_items WHERE lower(title) LIKE :prefix
    UNION
    SELECT id FROM media_items WHERE :tsquery::text IS NOT NULL AND search_tsv @@ to_tsquery('simple', :tsquery)
    UNION
    SELECT id FROM media_items WHERE lower(title) %% :q
)
SELECT m.id, m.media_type, m.title, m.original_title, m.year, m.popularity, m.poster_path,
       similarity(lower(m.title), :q) AS similarity
FROM media_items m
WHERE m.id = ANY(ARRAY(SELECT id FROM hits)) AND m.media_type = ANY(:types)
ORDER BY similarity DESC, m.popularity DESC NULLS LAST, m.id
LIMIT :row_limit;

-- name: library_media(media_id)^
SELECT id, media_type, title, original_title, year, poster_path, backdrop_path, tmdb_id
FROM media_items WHERE id = :media_id;

-- name: library_visible_media(media_id, max_age, collections)^
-- library_media for a caller who may be a kid profile (:max_age NULL: no limit).
SELECT m.id, m.media_type, m.title, m.original_title, m.year, m.poster_path, m.backdrop_path, m.tmdb_id
FROM media_items m WHERE m.id = :media_id
  -- a kid profile: rated at most its max age, inside its allowed collections when it has any
  AND (:max_age::int IS NULL OR (m.min_age <= :max_age AND (cardinality(:collections::uuid[]) = 0
       OR EXISTS (SELECT 1 FROM collection_items ci
                  WHERE ci.media_id = m.id AND ci.collection_id = ANY(:collections::uuid[])))));

-- name: library_show_episodes(media_id)
SELECT id, season_number, episode_number, absolute_number, air_date, name
FROM episodes WHERE media_id = :media_id ORDER BY season_number, episode_number;

-- name: library_episode(episode_id)^
SELECT id, media_id, season_number, episode_number, name, air_date FROM episodes WHERE id = :episode_id;

-- name: library_count(match_state, media_type, pattern, max_age, collections)$
SELECT count(*)
FROM library_items li
LEFT JOIN media_items m ON m.id = li.media_id
WHERE (:match_state::text IS NULL
       OR CASE WHEN li.match_state = 'matched' AND li.media_id IS NULL THEN 'unmatched'
               ELSE li.match_state END = :match_state)
  AND (:media_type::text IS NULL
       OR coalesce(m.media_type, CASE li.guess->>'type' WHEN 'episode' THEN 'show' WHEN 'movie' THEN 'movie' END)
          = :media_type)
  AND (:pattern::text IS NULL OR lower(li.file_name) LIKE :pattern OR lower(m.title) LIKE :pattern
       OR lower(li.guess->>'title') LIKE :pattern)
  -- a kid profile: rated at most its max age, inside its allowed collections when it has any
  AND (:max_age::int IS NULL OR (m.min_age <= :max_age AND (cardinality(:collections::uuid[]) = 0
       OR EXISTS (SELECT 1 FROM collection_items ci
                  WHERE ci.media_id = m.id AND ci.collection_id = ANY(:collections::uuid[])))));

-- name: library_list(match_state, media_type, pattern, row_limit, row_offset, max_age, collections)
-- One page of cards, newest first, enriched with the catalog title and episode.
SELECT li.id, li.storage_key, li.file_name, li.size_bytes, li.guess, li.probe_error, li.container,
       li.duration_seconds, li.width, li.height, li.video_codec, li.audio_codecs, li.audio_languages,
       li.match_confidence, li.match_source, li.match_candidates, li.source_job_id, li.created_at, li.indexed_at,
       CASE WHEN li.match_state = 'matched' AND li.media_id IS NULL THEN 'unmatched'
            ELSE li.match_state END AS match_state,
       m.id AS media_id, m.media_type, m.title AS media_title, m.year AS media_year, m.poster_path,
       m.backdrop_path, e.id AS episode_id, e.season_number, e.episode_number, e.name AS episode_name,
       e.air_date AS episode_air_date,
       (SELECT count(*) FROM library_subtitles s WHERE s.library_item_id = li.id) AS subtitle_count,
       (SELECT array_agg(st.kind ORDER BY st.kind) FROM library_streams st WHERE st.library_item_id = li.id)
           AS stream_kinds
FROM library_items li
LEFT JOIN media_items m ON m.id = li.media_id
LEFT JOIN episodes e ON e.id = li.episode_id
WHERE (:match_state::text IS NULL
       OR CASE WHEN li.match_state = 'matched' AND li.media_id IS NULL THEN 'unmatched'
               ELSE li.match_state END = :match_state)
  AND (:media_type::text IS NULL
       OR coalesce(m.media_type, CASE li.guess->>'type' WHEN 'episode' THEN 'show' WHEN 'movie' THEN 'movie' END)
          = :media_type)
  AND (:pattern::text IS NULL OR lower(li.file_name) LIKE :pattern OR lower(m.title) LIKE :pattern
       OR lower(li.guess->>'title') LIKE :pattern)
  -- a kid profile: rated at most its max age, inside its allowed collections when it has any
  AND (:max_age::int IS NULL OR (m.min_age <= :max_age AND (cardinality(:collections::uuid[]) = 0
       OR EXISTS (SELECT 1 FROM collection_items ci
                  WHERE ci.media_id = m.id AND ci.collection_id = ANY(:collections::uuid[])))))
ORDER BY li.created_at DESC, li.id
LIMIT :row_limit OFFSET :row_offset;

-- name: library_get(item_id)^
SELECT li.*,
       CASE WHEN li.match_state = 'matched' AND li.media_id IS NULL THEN 'unmatched'
            ELSE li.match_state END AS effective_state,
       m.media_type, m.title AS media_title, m.year AS media_year, m.poster_path, m.backdrop_path,
       e.season_number, e.episode_number, e.name AS episode_name, e.air_date AS episode_air_date,
       (SELECT count(*) FROM library_subtitles s WHERE s.library_item_id = li.id) AS subtitle_count,
       (SELECT array_agg(st.kind ORDER BY st.kind) FROM library_streams st WHERE st.library_item_id = li.id)
           AS stream_kinds
FROM library_items li
LEFT JOIN media_items m ON m.id = li.media_id
LEFT JOIN episodes e ON e.id = li.episode_id
WHERE li.id = :item_id;

-- name: library_streams_of(item_id)
SELECT kind, storage_key, mime_type, container, size_bytes FROM library_streams
WHERE library_item_id = :item_id ORDER BY kind;

-- name: library_subtitles_of(item_id)
SELECT id, language, label, storage_key, source, format, is_default, is_forced FROM library_subtitles
WHERE library_item_id = :item_id ORDER BY is_default DESC, source DESC, language, created_at, id;

-- name: library_resume(user_id, media_id, episode_id)^
SELECT position_seconds, duration_seconds FROM user_progress
WHERE user_id = :user_id AND media_id = :media_id AND episode_id IS NOT DISTINCT FROM :episode_id
  AND completed_at IS NULL;

-- name: library_next_episode(media_id, season_number, episode_number)^
-- The next episode (by season, then number; specials skipped) that has a
-- matched file in the library, for autoplay.
SELECT li.id AS library_item_id, e.id AS episode_id, e.season_number, e.episode_number, e.name
FROM episodes e
JOIN library_items li ON li.episode_id = e.id AND li.media_id = e.media_id AND li.match_state = 'matched'
WHERE e.media_id = :media_id AND e.season_number > 0
  AND (e.season_number, e.episode_number) > (:season_number, :episode_number)
ORDER BY e.season_number, e.episode_number, li.created_at, li.id
LIMIT 1;

-- name: library_insert_scan(requested_by, trigger, paths, accepted_count)^
INSERT INTO library_scans (requested_by, trigger, paths, accepted_count)
VALUES (:requested_by, :trigger, :paths, :accepted_count)
RETURNING *;

-- name: library_get_scan(scan_id)^
SELECT * FROM library_scans WHERE id = :scan_id;

-- name: library_apply_scan_state(scan_id, trigger, paths, status, indexed_count, error)^
-- A worker's report on a scan. Scheduled scans have no row yet (the worker
-- names them); a finished scan never goes back to running (a late or
-- redelivered "running" changes nothing).
INSERT INTO library_scans AS s (id, trigger, paths, status, indexed_count, error, started_at, finished_at)
VALUES (:scan_id, :trigger, :paths, :status, :indexed_count, :error, now(),
        CASE WHEN :status IN ('completed', 'failed') THEN now() END)
ON CONFLICT (id) DO UPDATE
SET status = EXCLUDED.status, indexed_count = greatest(s.indexed_count, EXCLUDED.indexed_count),
    error = EXCLUDED.error, started_at = coalesce(s.started_at, now()),
    finished_at = CASE WHEN EXCLUDED.status IN ('completed', 'failed') THEN coalesce(s.finished_at, now()) END,
    updated_at = now()
WHERE s.status NOT IN ('completed', 'failed')
RETURNING *;
