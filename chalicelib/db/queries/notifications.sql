-- Notifications: made by the scheduled run (one per user, kind and subject: ON CONFLICT DO NOTHING),
-- claimed and sent to the user's channels, read in the app.

-- ------------------------------------------------------------------ producers

-- name: notify_episodes_aired(user_id, show_ids, since, today, now)!
-- Episodes of the user's followed shows that aired since :since (and, with a known air time, have
-- aired by now), not already watched.
INSERT INTO notifications (user_id, kind, subject, title, body, link, media_id)
SELECT :user_id, 'episode_aired', 'episode:' || e.id,
       left(m.title || ' · S' || lpad(e.season_number::text, 2, '0') || 'E' || lpad(e.episode_number::text, 2, '0'), 300),
       left(coalesce(nullif(btrim(e.name), ''), 'A new episode') || ' is out', 2000),
       '/app/shows/' || m.id, m.id
FROM episodes e JOIN media_items m ON m.id = e.media_id
WHERE e.media_id = ANY(:show_ids::bigint[]) AND e.season_number > 0
  AND e.air_date BETWEEN :since AND :today AND (e.air_at IS NULL OR e.air_at <= :now)
  AND NOT EXISTS (SELECT 1 FROM user_watched w WHERE w.user_id = :user_id AND w.episode_id = e.id)
  AND NOT EXISTS (SELECT 1 FROM user_preferences p
                  WHERE p.user_id = :user_id AND p.notify_rules ->> 'episodeAired' = 'false')
ON CONFLICT DO NOTHING;

-- name: notify_downloads_finished(since)!
-- Downloads picked for a title (the wanted list, monitoring or Get) that completed, and any
-- download that failed for good, since :since.
INSERT INTO notifications (user_id, kind, subject, title, body, link, media_id)
SELECT j.user_id, kind, 'job:' || j.id || ':' || j.attempt,
       left(CASE WHEN kind = 'wanted_downloaded' THEN coalesce(m.title, j.title, 'A download') || ' is ready to watch'
                 ELSE 'Download failed: ' || coalesce(j.title, m.title, 'a download') END, 300),
       left(CASE WHEN kind = 'wanted_downloaded'
                 THEN coalesce('Season ' || j.season || coalesce(', episode ' || j.episode, '') || ' · ', '')
                      || 'downloaded and added to your library'
                 ELSE coalesce(j.error_message, 'The download stopped with an error') END, 2000),
       CASE WHEN kind = 'wanted_downloaded' AND m.media_type = 'movie' THEN '/app/movies/' || m.id
            WHEN kind = 'wanted_downloaded' THEN '/app/shows/' || m.id ELSE '/app/downloads' END,
       m.id
FROM download_jobs j
LEFT JOIN media_items m ON m.id = j.media_id
CROSS JOIN LATERAL (SELECT CASE j.status WHEN 'completed' THEN 'wanted_downloaded' ELSE 'download_failed' END AS kind) k
WHERE j.ended_at >= :since
  AND ((j.status = 'completed' AND j.media_id IS NOT NULL) OR j.status = 'failed')
  AND NOT EXISTS (SELECT 1 FROM user_preferences p WHERE p.user_id = j.user_id
                  AND p.notify_rules ->> (CASE kind WHEN 'wanted_downloaded' THEN 'wantedDownloaded'
                                                    ELSE 'downloadFailed' END) = 'false')
ON CONFLICT DO NOTHING;

-- name: notify_games_released(since, today)!
-- Wish-listed games whose release date came.
INSERT INTO notifications (user_id, kind, subject, title, body, link, media_id)
SELECT g.user_id, 'game_released', 'game:' || m.id, left(m.title || ' is out', 300),
       'A game on your wish list was released', '/app/games/' || m.id, m.id
FROM user_game_status g JOIN media_items m ON m.id = g.media_id
WHERE g.status = 'wishlist' AND m.release_date BETWEEN :since AND :today
  AND NOT EXISTS (SELECT 1 FROM user_preferences p
                  WHERE p.user_id = g.user_id AND p.notify_rules ->> 'gameReleased' = 'false')
ON CONFLICT DO NOTHING;

-- ------------------------------------------------------------------ delivery

-- name: notify_claim(now, stale_before, max_attempts, row_limit)
-- Pending notifications, and ones a sender claimed but never finished (it died), for this sender.
UPDATE notifications n SET delivery = 'sending', claimed_at = :now, attempts = n.attempts + 1
WHERE n.id IN (
    SELECT id FROM notifications
    WHERE (delivery = 'pending' OR (delivery = 'sending' AND claimed_at < :stale_before))
      AND attempts < :max_attempts
    ORDER BY created_at, id
    LIMIT :row_limit
    FOR UPDATE SKIP LOCKED)
RETURNING n.id, n.user_id, n.kind, n.title, n.body, n.link, n.attempts;

-- name: notify_finish(id, delivery, now, last_error)!
UPDATE notifications SET delivery = :delivery, delivered_at = CASE WHEN :delivery IN ('sent', 'skipped')
                                                                    THEN :now END,
                         last_error = :last_error, claimed_at = NULL
WHERE id = :id AND delivery = 'sending';

-- name: notify_channel_urls(user_ids)
SELECT user_id, id, label, service, url_ciphertext, key_id FROM notification_channels
WHERE user_id = ANY(:user_ids::uuid[]) ORDER BY user_id, created_at, id;

-- ------------------------------------------------------------------ the app

-- name: notify_list(user_id, row_limit)
-- Unread first, then newest.
SELECT id, kind, title, body, link, media_id, created_at, read_at FROM notifications
WHERE user_id = :user_id
ORDER BY read_at IS NOT NULL, created_at DESC, id DESC
LIMIT :row_limit;

-- name: notify_unread_count(user_id)$
SELECT count(*) FROM notifications WHERE user_id = :user_id AND read_at IS NULL;

-- name: notify_mark_read(user_id, ids, everything, now)!
UPDATE notifications SET read_at = :now
WHERE user_id = :user_id AND read_at IS NULL AND (:everything OR id = ANY(:ids::bigint[]));

-- ------------------------------------------------------------------ settings

-- name: notify_rules(user_id)$
SELECT notify_rules FROM user_preferences WHERE user_id = :user_id;

-- name: notify_set_rules(user_id, rules)!
INSERT INTO user_preferences (user_id, notify_rules) VALUES (:user_id, :rules)
ON CONFLICT (user_id) DO UPDATE SET notify_rules = excluded.notify_rules, updated_at = now();

-- name: notify_channels(user_id)
SELECT id, label, service, created_at FROM notification_channels WHERE user_id = :user_id ORDER BY created_at, id;

-- name: notify_delete_channels_except(user_id, keep)!
DELETE FROM notification_channels WHERE user_id = :user_id AND NOT (id = ANY(:keep::uuid[]));

-- name: notify_add_channel(user_id, label, service, url_ciphertext, key_id)!
INSERT INTO notification_channels (user_id, label, service, url_ciphertext, key_id)
VALUES (:user_id, :label, :service, :url_ciphertext, :key_id);
