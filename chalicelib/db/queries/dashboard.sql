-- Dashboard: the widget sources no other domain exposes as a query.

-- name: dashboard_active_downloads(user_id, limit)
-- Non-terminal jobs, newest first (live telemetry is merged in by the service), each with what it is of
-- (title_media, title_parsed: as downloads_titles finds them, in this one statement).
SELECT j.*, t.media AS title_media, p.parsed AS title_parsed FROM download_jobs j
LEFT JOIN LATERAL (SELECT li.media_id FROM library_items li
                   WHERE li.source_job_id = j.id AND li.media_id IS NOT NULL
                   ORDER BY li.size_bytes DESC, li.id LIMIT 1) filed ON j.media_id IS NULL
LEFT JOIN LATERAL (SELECT jsonb_build_object(
                       'id', m.id, 'media_type', m.media_type, 'title', m.title, 'original_title', m.original_title,
                       'year', m.year, 'release_date', m.release_date, 'poster_path', m.poster_path,
                       'backdrop_path', m.backdrop_path, 'vote_average', m.vote_average, 'vote_count', m.vote_count,
                       'popularity', m.popularity, 'status', m.status, 'is_demo', m.is_demo) AS media
                   FROM media_items m WHERE m.id = coalesce(j.media_id, filed.media_id)) t ON true
LEFT JOIN LATERAL (SELECT pk.score -> 'parsed' AS parsed FROM picks pk
                   WHERE pk.job_id = j.id AND pk.user_id = j.user_id
                   ORDER BY pk.created_at DESC LIMIT 1) p ON true
WHERE j.user_id = :user_id AND j.status IN ('queued', 'preparing', 'downloading', 'stalled', 'retrying')
ORDER BY j.created_at DESC, j.id DESC
LIMIT :limit;

-- name: dashboard_discover(user_id, limit, max_age, collections)^
-- Two rows from the catalog in one statement:
-- trending: the titles of the enabled trending rows (TMDB day/week lists, demo rows), most popular first,
-- one per title;
-- from_people: titles with credits of people the user follows, newest release first (upcoming ones at the
-- top, undated ones last), leaving out what the user watched (a movie, or any episode of a show) or
-- dismissed, each with the followed people in it (billing order, cast before crew).
SELECT
    coalesce((
        SELECT jsonb_agg(to_jsonb(x) ORDER BY x.popularity DESC NULLS LAST, x.id)
        FROM (SELECT m.id, m.media_type, m.title, m.original_title, m.year, m.release_date, m.poster_path,
                     m.backdrop_path, m.vote_average, m.vote_count, m.popularity, m.status, m.is_demo,
                     ARRAY(SELECT gn.name FROM media_genres mg JOIN genres gn ON gn.id = mg.genre_id
                           WHERE mg.media_id = m.id ORDER BY gn.kind, gn.name) AS genres
              FROM media_items m
              WHERE m.id IN (SELECT d.media_id FROM discover_section_items d
                             JOIN discover_sections s ON s.id = d.section_id
                             WHERE s.is_enabled AND (s.key LIKE '%%trending%%' OR s.key LIKE 'demo.%%.popular'))
                -- a kid profile: rated at most its max age, inside its allowed collections when it has any
                AND (:max_age::int IS NULL OR (m.min_age <= :max_age AND (cardinality(:collections::uuid[]) = 0
                     OR EXISTS (SELECT 1 FROM collection_items ci
                                WHERE ci.media_id = m.id AND ci.collection_id = ANY(:collections::uuid[])))))
              ORDER BY m.popularity DESC NULLS LAST, m.id
              LIMIT :limit) x), '[]') AS trending,
    coalesce((
        SELECT jsonb_agg(to_jsonb(x) ORDER BY x.release_date DESC NULLS LAST, x.id)
        FROM (SELECT m.id, m.media_type, m.title, m.original_title, m.year, m.release_date, m.poster_path,
                     m.backdrop_path, m.vote_average, m.vote_count, m.popularity, m.status, m.is_demo,
                     ARRAY(SELECT gn.name FROM media_genres mg JOIN genres gn ON gn.id = mg.genre_id
                           WHERE mg.media_id = m.id ORDER BY gn.kind, gn.name) AS genres,
                     (SELECT jsonb_agg(jsonb_build_object('id', p.id, 'name', p.name) ORDER BY p.first_kind, p.first_order,
                                       p.id)
                      FROM (SELECT pe.id, pe.name, min(c.kind) AS first_kind, min(c.ordering) AS first_order
                            FROM media_credits c
                            JOIN user_person_follows f ON f.person_id = c.person_id AND f.user_id = :user_id
                            JOIN people pe ON pe.id = c.person_id
                            WHERE c.media_id = m.id
                            GROUP BY pe.id, pe.name) p) AS people
              FROM media_items m
              WHERE m.id IN (SELECT c.media_id FROM user_person_follows f
                             JOIN media_credits c ON c.person_id = f.person_id
                             WHERE f.user_id = :user_id)
                AND NOT EXISTS (SELECT 1 FROM user_watched w WHERE w.user_id = :user_id AND w.media_id = m.id)
                AND NOT EXISTS (SELECT 1 FROM user_dismissals x WHERE x.user_id = :user_id AND x.media_id = m.id)
                -- a kid profile: rated at most its max age, inside its allowed collections when it has any
                AND (:max_age::int IS NULL OR (m.min_age <= :max_age AND (cardinality(:collections::uuid[]) = 0
                     OR EXISTS (SELECT 1 FROM collection_items ci
                                WHERE ci.media_id = m.id AND ci.collection_id = ANY(:collections::uuid[])))))
              ORDER BY m.release_date DESC NULLS LAST, m.id
              LIMIT :limit) x), '[]') AS from_people;
