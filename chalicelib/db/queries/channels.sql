-- YouTube channels: the channels (one row per YouTube channel, shared by the household), who follows them, and
-- their videos (each a media_items row of type 'video', so tracking and the library work by media id).

-- name: ch_channel_upsert(youtube_id, title, handle, thumbnail_url)^
INSERT INTO channels (youtube_id, title, handle, thumbnail_url)
VALUES (:youtube_id, :title, :handle, :thumbnail_url)
ON CONFLICT (youtube_id) DO UPDATE SET
    title = excluded.title,
    handle = coalesce(excluded.handle, channels.handle),
    thumbnail_url = coalesce(excluded.thumbnail_url, channels.thumbnail_url),
    updated_at = now()
RETURNING id, youtube_id, title, handle, thumbnail_url, checked_at, last_error;

-- name: ch_follow_count(user_id)$
SELECT count(*) FROM channel_follows WHERE user_id = :user_id;

-- name: ch_follow(user_id, channel_id, keep_newest)!
INSERT INTO channel_follows (user_id, channel_id, keep_newest)
VALUES (:user_id, :channel_id, :keep_newest)
ON CONFLICT (user_id, channel_id) DO UPDATE SET keep_newest = excluded.keep_newest;

-- name: ch_follows(user_id, channel_id)
-- The channels a user follows (one when channel_id is given), newest video first, with what is new for them:
-- videos of the last 30 days they have not watched.
SELECT c.id, c.youtube_id, c.title, c.handle, c.thumbnail_url, c.checked_at, c.last_error,
       f.keep_newest, f.created_at AS followed_at,
       (SELECT count(*) FROM channel_videos v WHERE v.channel_id = c.id) AS video_count,
       (SELECT count(*) FROM channel_videos v
        WHERE v.channel_id = c.id AND v.published_at > now() - interval '30 days'
          AND NOT EXISTS (SELECT 1 FROM user_watched w WHERE w.user_id = f.user_id AND w.media_id = v.media_id))
           AS new_count,
       (SELECT max(v.published_at) FROM channel_videos v WHERE v.channel_id = c.id) AS latest_at
FROM channel_follows f JOIN channels c ON c.id = f.channel_id
WHERE f.user_id = :user_id AND (CAST(:channel_id AS uuid) IS NULL OR c.id = :channel_id)
ORDER BY latest_at DESC NULLS LAST, lower(c.title), c.id;

-- name: ch_follow_update(user_id, channel_id, keep_newest)^
UPDATE channel_follows SET keep_newest = :keep_newest
WHERE user_id = :user_id AND channel_id = :channel_id
RETURNING channel_id;

-- name: ch_unfollow(user_id, channel_id)^
DELETE FROM channel_follows WHERE user_id = :user_id AND channel_id = :channel_id RETURNING channel_id;

-- name: ch_channels_claim(limit_)
-- Channels someone follows whose feed is due, leased for ten minutes (a crashed refresh retries then; two
-- refreshes never read one channel at once).
UPDATE channels c SET next_check_at = now() + interval '10 minutes'
WHERE c.id IN (
    SELECT id FROM channels
    WHERE next_check_at <= now() AND EXISTS (SELECT 1 FROM channel_follows f WHERE f.channel_id = channels.id)
    ORDER BY next_check_at
    LIMIT :limit_
    FOR UPDATE SKIP LOCKED
)
RETURNING c.id, c.youtube_id, c.title, c.etag, c.last_modified;

-- name: ch_channels_make_due()!
-- An admin's "run now": every channel is due (a feed read twice at once stores the same videos once).
UPDATE channels SET next_check_at = now() WHERE next_check_at > now();

-- name: ch_channel_checked(id, title, etag, last_modified, every_minutes)!
UPDATE channels SET title = coalesce(:title, title), etag = :etag, last_modified = :last_modified,
                    checked_at = now(), last_error = NULL, failures = 0,
                    next_check_at = now() + make_interval(mins => :every_minutes), updated_at = now()
WHERE id = :id;

-- name: ch_channel_failed(id, error, every_minutes)!
-- Backs off with the failures in a row: the interval doubled per failure, at most a day.
UPDATE channels SET last_error = :error, failures = failures + 1, checked_at = now(),
                    next_check_at = now() + least(make_interval(mins => :every_minutes) * power(2, failures),
                                                  interval '1 day'),
                    updated_at = now()
WHERE id = :id;

-- name: ch_videos_upsert(channel_id, items)^
-- The feed's videos: new ones become catalog titles (type video), channel rows and a calendar event each;
-- known ones get the feed's title, description, thumbnail and views. One statement per feed.
WITH incoming AS (
    SELECT * FROM jsonb_to_recordset(:items::jsonb) AS i(youtube_id text, title text, description text, url text,
                                                         thumbnail_url text, published_at timestamptz, views bigint)
), known AS (
    SELECT v.media_id, v.youtube_id FROM channel_videos v JOIN incoming i USING (youtube_id)
), changed AS (
    UPDATE media_items m SET title = i.title, overview = i.description, poster_path = i.thumbnail_url,
                             backdrop_path = i.thumbnail_url, updated_at = now()
    FROM known k JOIN incoming i USING (youtube_id)
    WHERE m.id = k.media_id
      AND (m.title, m.overview, m.poster_path) IS DISTINCT FROM (i.title, i.description, i.thumbnail_url)
    RETURNING m.id
), fresh AS (
    INSERT INTO media_items (media_type, title, overview, release_date, poster_path, backdrop_path, extra)
    SELECT 'video', i.title, i.description, (i.published_at AT TIME ZONE 'UTC')::date, i.thumbnail_url,
           i.thumbnail_url, jsonb_build_object('youtubeId', i.youtube_id)
    FROM incoming i WHERE NOT EXISTS (SELECT 1 FROM known k WHERE k.youtube_id = i.youtube_id)
    RETURNING id, extra ->> 'youtubeId' AS youtube_id
), added AS (
    INSERT INTO channel_videos (media_id, channel_id, youtube_id, url, thumbnail_url, published_at, views)
    SELECT f.id, :channel_id, i.youtube_id, i.url, i.thumbnail_url, i.published_at, i.views
    FROM fresh f JOIN incoming i USING (youtube_id)
    ON CONFLICT (youtube_id) DO NOTHING
    RETURNING media_id, published_at
), events AS (
    INSERT INTO release_events (media_id, kind, release_date, release_at, source)
    SELECT media_id, 'video_release', (published_at AT TIME ZONE 'UTC')::date, published_at, 'channel' FROM added
    ON CONFLICT DO NOTHING
    RETURNING 1
), counted AS (
    UPDATE channel_videos v SET views = i.views, thumbnail_url = i.thumbnail_url
    FROM incoming i
    WHERE v.youtube_id = i.youtube_id AND (v.views, v.thumbnail_url) IS DISTINCT FROM (i.views, i.thumbnail_url)
    RETURNING 1
)
SELECT (SELECT count(*) FROM added) AS added, (SELECT count(*) FROM changed) AS updated,
       (SELECT count(*) FROM events) AS events;

-- name: ch_videos(user_id, channel_id, media_id, before_at, before_id, limit_)
-- Videos of the channels a user follows (one channel's, one video, or all), newest first, keyset-paged, with the
-- user's state: watched, on watch later, progress, the library file to play, the download in flight.
SELECT v.media_id, v.youtube_id, v.url, v.thumbnail_url, v.published_at, v.views,
       m.title, m.overview AS description, m.runtime_minutes,
       c.id AS channel_id, c.title AS channel_title,
       EXISTS (SELECT 1 FROM user_watched w WHERE w.user_id = f.user_id AND w.media_id = v.media_id) AS watched,
       EXISTS (SELECT 1 FROM user_watch_later l WHERE l.user_id = f.user_id AND l.media_id = v.media_id)
           AS on_watch_later,
       p.position_seconds, p.duration_seconds,
       (SELECT li.id FROM library_items li WHERE li.media_id = v.media_id AND li.match_state = 'matched'
        ORDER BY li.created_at DESC LIMIT 1) AS library_item_id,
       d.id AS download_id, d.status AS download_status, d.progress AS download_progress
FROM channel_follows f
JOIN channels c ON c.id = f.channel_id
JOIN channel_videos v ON v.channel_id = c.id
JOIN media_items m ON m.id = v.media_id
LEFT JOIN user_progress p ON p.user_id = f.user_id AND p.media_id = v.media_id AND p.episode_id IS NULL
LEFT JOIN LATERAL (
    SELECT j.id, j.status, j.progress FROM download_jobs j
    WHERE j.user_id = f.user_id AND j.media_id = v.media_id AND j.status NOT IN ('cancelled')
    ORDER BY j.created_at DESC LIMIT 1
) d ON true
WHERE f.user_id = :user_id
  AND (CAST(:channel_id AS uuid) IS NULL OR c.id = :channel_id)
  AND (CAST(:media_id AS bigint) IS NULL OR v.media_id = :media_id)
  AND (CAST(:before_at AS timestamptz) IS NULL OR (v.published_at, v.media_id) < (:before_at, :before_id))
ORDER BY v.published_at DESC, v.media_id DESC
LIMIT :limit_;

-- name: ch_followers(channel_id)
SELECT user_id FROM channel_follows WHERE channel_id = :channel_id;

-- name: ch_keep_targets(channel_id)
-- Followers who keep the newest videos downloaded, with the videos they should have (the N newest) that they
-- neither have in the library nor are downloading.
SELECT f.user_id, v.media_id, v.url, m.title
FROM channel_follows f
JOIN LATERAL (
    SELECT cv.media_id, cv.url FROM channel_videos cv WHERE cv.channel_id = f.channel_id
    ORDER BY cv.published_at DESC, cv.media_id DESC LIMIT f.keep_newest
) v ON true
JOIN media_items m ON m.id = v.media_id
WHERE f.channel_id = :channel_id AND f.keep_newest > 0
  AND NOT EXISTS (SELECT 1 FROM library_items li WHERE li.media_id = v.media_id)
  AND NOT EXISTS (SELECT 1 FROM download_jobs j WHERE j.user_id = f.user_id AND j.media_id = v.media_id
                  AND j.status NOT IN ('failed', 'cancelled'))
ORDER BY f.user_id, v.media_id;
