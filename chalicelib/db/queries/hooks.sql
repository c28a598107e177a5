-- Media-server webhooks (Jellyfin, Plex): the per-user secret, replay protection, and matching an
-- event's item to a catalog title or episode.

-- name: hooks_get(user_id)^
SELECT generation, secret_hash, created_at, updated_at FROM user_webhooks WHERE user_id = :user_id;

-- name: hooks_put(user_id, generation, secret_hash)^
-- Stores the secret of this generation; a concurrent first call that already stored it wins (same secret).
INSERT INTO user_webhooks AS w (user_id, generation, secret_hash)
VALUES (:user_id, :generation, :secret_hash)
ON CONFLICT (user_id) DO UPDATE SET generation = excluded.generation, secret_hash = excluded.secret_hash,
                                    updated_at = now()
    WHERE w.generation < excluded.generation
RETURNING generation, created_at, updated_at;

-- name: hooks_owner(secret_hash)^
-- The enabled user whose webhook secret hashes to this value.
SELECT w.user_id, w.secret_hash FROM user_webhooks w JOIN users u ON u.id = w.user_id
WHERE w.secret_hash = :secret_hash AND u.disabled_at IS NULL;

-- name: hooks_claim_event(user_id, source, fingerprint)^
-- One row the first time an event is seen; nothing for a replay.
INSERT INTO webhook_events (user_id, source, fingerprint) VALUES (:user_id, :source, :fingerprint)
ON CONFLICT DO NOTHING
RETURNING received_at;

-- name: hooks_prune_events(before)!
DELETE FROM webhook_events WHERE received_at < :before;

-- name: hooks_match_movie(imdb_id, tmdb_id, title, year)^
-- By provider id first (IMDb, then TMDB), then by exact title and year.
SELECT id FROM (
    SELECT id, 0 AS rank FROM media_items WHERE media_type = 'movie' AND imdb_id = :imdb_id
    UNION ALL
    SELECT id, 1 FROM media_items WHERE media_type = 'movie' AND tmdb_id = :tmdb_id
    UNION ALL
    SELECT id, 2 FROM media_items
    WHERE media_type = 'movie' AND lower(title) = lower(:title)
      AND (:year::int IS NULL OR year BETWEEN :year::int - 1 AND :year::int + 1)
) found
ORDER BY rank, id
LIMIT 1;

-- name: hooks_match_episode(imdb_id, tmdb_id, show_imdb_id, show_tmdb_id, show_tvdb_id, show_title, season, episode)^
-- The episode by its own provider id, else the show (by provider id, then title) and the numbers.
WITH by_id AS (
    SELECT media_id, id AS episode_id, 0 AS rank FROM episodes WHERE imdb_id = :imdb_id
    UNION ALL
    SELECT media_id, id, 1 FROM episodes WHERE tmdb_id = :tmdb_id
), show AS (
    SELECT id FROM (
        SELECT id, 0 AS rank FROM media_items WHERE media_type = 'show' AND imdb_id = :show_imdb_id
        UNION ALL SELECT id, 1 FROM media_items WHERE media_type = 'show' AND tmdb_id = :show_tmdb_id
        UNION ALL SELECT id, 2 FROM media_items WHERE media_type = 'show' AND tvdb_id = :show_tvdb_id
        UNION ALL SELECT id, 3 FROM media_items WHERE media_type = 'show' AND lower(title) = lower(:show_title)
    ) s ORDER BY rank, id LIMIT 1
), by_number AS (
    SELECT e.media_id, e.id AS episode_id, 2 AS rank
    FROM show JOIN episodes e ON e.media_id = show.id
    WHERE e.season_number = :season AND e.episode_number = :episode
)
SELECT media_id, episode_id FROM (SELECT * FROM by_id UNION ALL SELECT * FROM by_number) found
ORDER BY rank
LIMIT 1;
