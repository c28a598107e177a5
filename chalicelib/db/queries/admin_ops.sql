-- Admin operations views: scheduled jobs and storage usage.

-- name: admin_ops_sync_jobs()
SELECT job_name, last_started_at, last_finished_at, last_status, last_error, duration_ms, last_success_at,
       consecutive_failures, stats
FROM sync_state ORDER BY job_name;

-- name: admin_ops_sync_job(job_name)^
SELECT job_name, last_started_at, last_finished_at, last_status, last_error, duration_ms, last_success_at,
       consecutive_failures, stats
FROM sync_state WHERE job_name = :job_name;

-- name: admin_ops_storage()
-- Library bytes per media type of the matched title ("unmatched" for files without one).
SELECT coalesce(m.media_type, 'unmatched') AS media_type, count(*) AS files,
       coalesce(sum(l.size_bytes), 0)::bigint AS bytes
FROM library_items l
LEFT JOIN media_items m ON m.id = l.media_id AND l.match_state = 'matched'
GROUP BY 1 ORDER BY 1;
