-- Dashboard: the widget sources no other domain exposes as a query.

-- name: dashboard_active_downloads(user_id, limit)
-- Non-terminal jobs, newest first (live telemetry is merged in by the service).
SELECT * FROM download_jobs
WHERE user_id = :user_id AND status IN ('queued', 'preparing', 'downloading', 'stalled', 'retrying')
ORDER BY created_at DESC, id DESC
LIMIT :limit;

-- name: dashboard_trending(limit)
-- Titles of the enabled trending rows (TMDB day/week lists, demo rows), most popular first, one row per title.
SELECT m.id, m.media_type, m.title, m.original_title, m.year, m.release_date, m.poster_path, m.backdrop_path,
       m.vote_average, m.vote_count, m.popularity, m.status, m.is_demo,
       ARRAY(SELECT gn.name FROM media_genres mg JOIN genres gn ON gn.id = mg.genre_id
             WHERE mg.media_id = m.id ORDER BY gn.kind, gn.name) AS genres
FROM media_items m
WHERE m.id IN (SELECT d.media_id FROM discover_section_items d
               JOIN discover_sections s ON s.id = d.section_id
               WHERE s.is_enabled AND (s.key LIKE '%%trending%%' OR s.key LIKE 'demo.%%.popular'))
ORDER BY m.popularity DESC NULLS LAST, m.id
LIMIT :limit;
