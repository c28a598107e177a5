-- Anime numbering: a show's MAL seasons and TMDB absolute group (anime_mappings), and the catalog facts
-- that find its MAL entry and translate numbers into the catalog's seasons.

-- name: anime_show(media_id)^
-- A show with what tells it is anime (Japanese animation, or an id MAL/AniDB knows it by) and how to find it.
SELECT m.id, m.title, m.original_title, m.year, m.tmdb_id, m.original_language,
       CASE WHEN m.extra ->> 'mal_id' ~ '^[0-9]{1,9}$' THEN (m.extra ->> 'mal_id')::int END AS mal_id,
       CASE WHEN m.extra ->> 'anidb_id' ~ '^[0-9]{1,9}$' THEN (m.extra ->> 'anidb_id')::int END AS anidb_id,
       EXISTS (SELECT 1 FROM media_genres mg JOIN genres g ON g.id = mg.genre_id
               WHERE mg.media_id = m.id AND g.slug = 'animation') AS animation
FROM media_items m
WHERE m.id = :media_id AND m.media_type = 'show';

-- name: anime_season_counts(media_id)
-- The show's regular seasons and their lengths: the listed count, else the episodes stored.
SELECT s.season_number,
       coalesce(s.episode_count, (SELECT count(*) FROM episodes e WHERE e.season_id = s.id))::int AS episodes
FROM seasons s
WHERE s.media_id = :media_id AND s.season_number > 0
ORDER BY s.season_number;

-- name: anime_get_mapping(media_id)^
SELECT media_id, mal_id, mapping, fetched_at FROM anime_mappings WHERE media_id = :media_id;

-- name: anime_store_mapping(media_id, mal_id, mapping, fetched_at)^
INSERT INTO anime_mappings (media_id, mal_id, mapping, fetched_at)
VALUES (:media_id, :mal_id, :mapping, :fetched_at)
ON CONFLICT (media_id) DO UPDATE
SET mal_id = EXCLUDED.mal_id, mapping = EXCLUDED.mapping, fetched_at = EXCLUDED.fetched_at
RETURNING media_id, mal_id, mapping, fetched_at;
