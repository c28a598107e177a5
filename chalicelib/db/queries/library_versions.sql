-- Versions: several files of one title (a movie, or one episode) shown as one
-- library card, and the files a title or episode page can play.
--
-- A file's group is its title when it is matched to a movie, or to a show and
-- one of its episodes; any other file (unmatched, ignored, a show without its
-- episode) is a group of its own.

-- name: library_title_count(match_state, media_type, pattern, max_age, collections)$
SELECT count(DISTINCT CASE WHEN li.match_state = 'matched' AND li.media_id IS NOT NULL
                                AND (m.media_type = 'movie' OR li.episode_id IS NOT NULL)
                           THEN 'm' || li.media_id || ':' || coalesce(li.episode_id, 0)
                           ELSE li.id::text END)
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

-- name: library_title_list(match_state, media_type, pattern, row_limit, row_offset, max_age, collections)
-- One page of groups (newest file first), every file of each group, enriched
-- like library_list, with the original stream's type for the play mode.
WITH filtered AS (
    SELECT li.id, li.created_at,
           CASE WHEN li.match_state = 'matched' AND li.media_id IS NOT NULL
                     AND (m.media_type = 'movie' OR li.episode_id IS NOT NULL)
                THEN 'm' || li.media_id || ':' || coalesce(li.episode_id, 0)
                ELSE li.id::text END AS group_key
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
                      WHERE ci.media_id = m.id AND ci.collection_id = ANY(:collections::uuid[])))))
), groups AS (
    SELECT group_key, max(created_at) AS newest FROM filtered
    GROUP BY group_key ORDER BY newest DESC, group_key
    LIMIT :row_limit OFFSET :row_offset
)
SELECT g.group_key, li.id, li.storage_key, li.file_name, li.size_bytes, li.guess, li.probe_error, li.container,
       li.duration_seconds, li.width, li.height, li.video_codec, li.audio_codecs, li.audio_languages,
       li.match_confidence, li.match_source, li.match_candidates, li.source_job_id, li.created_at, li.indexed_at,
       CASE WHEN li.match_state = 'matched' AND li.media_id IS NULL THEN 'unmatched'
            ELSE li.match_state END AS match_state,
       m.id AS media_id, m.media_type, m.title AS media_title, m.year AS media_year, m.poster_path,
       m.backdrop_path, e.id AS episode_id, e.season_number, e.episode_number, e.name AS episode_name,
       e.air_date AS episode_air_date,
       (SELECT count(*) FROM library_subtitles s WHERE s.library_item_id = li.id) AS subtitle_count,
       (SELECT array_agg(st.kind ORDER BY st.kind) FROM library_streams st WHERE st.library_item_id = li.id)
           AS stream_kinds,
       (SELECT st.mime_type FROM library_streams st WHERE st.library_item_id = li.id
        ORDER BY st.kind <> 'original', st.kind LIMIT 1) AS original_mime,
       jsonb_strip_nulls(jsonb_build_object('pixFmt', li.probe->'pixFmt')) AS probe
FROM groups g
JOIN filtered f ON f.group_key = g.group_key
JOIN library_items li ON li.id = f.id
LEFT JOIN media_items m ON m.id = li.media_id
LEFT JOIN episodes e ON e.id = li.episode_id
ORDER BY g.newest DESC, g.group_key, li.created_at DESC, li.id;

-- name: library_versions_of(media_id, episode_id)
-- Every matched file of a movie (episode_id NULL) or of one episode.
SELECT li.id, li.storage_key, li.file_name, li.size_bytes, li.guess, li.probe_error, li.container,
       li.duration_seconds, li.width, li.height, li.video_codec, li.audio_codecs, li.audio_languages,
       li.match_confidence, li.match_source, li.match_candidates, li.source_job_id, li.created_at, li.indexed_at,
       li.match_state, m.id AS media_id, m.media_type, m.title AS media_title, m.year AS media_year, m.poster_path,
       m.backdrop_path, e.id AS episode_id, e.season_number, e.episode_number, e.name AS episode_name,
       e.air_date AS episode_air_date,
       (SELECT count(*) FROM library_subtitles s WHERE s.library_item_id = li.id) AS subtitle_count,
       (SELECT array_agg(st.kind ORDER BY st.kind) FROM library_streams st WHERE st.library_item_id = li.id)
           AS stream_kinds,
       (SELECT st.mime_type FROM library_streams st WHERE st.library_item_id = li.id
        ORDER BY st.kind <> 'original', st.kind LIMIT 1) AS original_mime,
       jsonb_strip_nulls(jsonb_build_object('pixFmt', li.probe->'pixFmt')) AS probe
FROM library_items li
JOIN media_items m ON m.id = li.media_id
LEFT JOIN episodes e ON e.id = li.episode_id
WHERE li.media_id = :media_id AND li.match_state = 'matched'
  AND li.episode_id IS NOT DISTINCT FROM :episode_id
ORDER BY li.created_at DESC, li.id;

-- name: library_next_up_episode(user_id, media_id)^
-- The episode of a show that its Play button starts: the one the user is in
-- the middle of (latest first), else the first (by season and number,
-- specials last) that has a matched file and that the user has not watched,
-- else the first with a matched file.
WITH held AS (
    SELECT DISTINCT e.id, e.season_number, e.episode_number
    FROM episodes e
    JOIN library_items li ON li.episode_id = e.id AND li.media_id = e.media_id AND li.match_state = 'matched'
    WHERE e.media_id = :media_id
)
SELECT episode_id FROM (
    SELECT h.id AS episode_id, 0 AS rank_group, p.updated_at AS at_, h.season_number, h.episode_number
    FROM held h
    JOIN user_progress p ON p.user_id = :user_id AND p.media_id = :media_id AND p.episode_id = h.id
                            AND p.completed_at IS NULL
    UNION ALL
    SELECT h.id, 1, NULL, h.season_number, h.episode_number FROM held h
    WHERE NOT EXISTS (SELECT 1 FROM user_watched w WHERE w.user_id = :user_id AND w.episode_id = h.id)
    UNION ALL
    SELECT h.id, 2, NULL, h.season_number, h.episode_number FROM held h
) ranked
ORDER BY rank_group, at_ DESC NULLS LAST, (season_number = 0), season_number, episode_number
LIMIT 1;
