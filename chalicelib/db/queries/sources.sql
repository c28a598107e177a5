-- Sources: indexers (admin settings), the catalog facts a search needs, the search cache.
-- Indexer rows carry the encrypted API key; the service decrypts it only to call the indexer.

-- name: sources_indexer_list()
SELECT id, name, url, api_key_ciphertext, key_id, categories, enabled, caps, caps_checked_at, created_at, updated_at
FROM indexers ORDER BY lower(name);

-- name: sources_indexer_enabled()
SELECT id, name, url, api_key_ciphertext, key_id, categories, enabled, caps, caps_checked_at, created_at, updated_at
FROM indexers WHERE enabled ORDER BY lower(name);

-- name: sources_indexer_get(id)^
SELECT id, name, url, api_key_ciphertext, key_id, categories, enabled, caps, caps_checked_at, created_at, updated_at
FROM indexers WHERE id = :id;

-- name: sources_indexer_by_name(name)^
SELECT id, name, url, api_key_ciphertext, key_id, categories, enabled, caps, caps_checked_at, created_at, updated_at
FROM indexers WHERE lower(name) = lower(:name);

-- name: sources_indexer_insert(name, url, api_key_ciphertext, key_id, categories, enabled)^
INSERT INTO indexers (name, url, api_key_ciphertext, key_id, categories, enabled)
VALUES (:name, :url, :api_key_ciphertext, :key_id, :categories, :enabled)
ON CONFLICT DO NOTHING
RETURNING id, name, url, api_key_ciphertext, key_id, categories, enabled, caps, caps_checked_at, created_at,
          updated_at;

-- name: sources_indexer_update(id, name, url, api_key_ciphertext, key_id, categories, enabled, url_changed)^
-- The service merges the patch with the row, so every column is written. A new URL forgets the caps:
-- they were another endpoint's.
UPDATE indexers SET name = :name, url = :url, api_key_ciphertext = :api_key_ciphertext, key_id = :key_id,
    categories = :categories, enabled = :enabled,
    caps = CASE WHEN :url_changed THEN NULL ELSE caps END,
    caps_checked_at = CASE WHEN :url_changed THEN NULL ELSE caps_checked_at END,
    updated_at = now()
WHERE id = :id
RETURNING id, name, url, api_key_ciphertext, key_id, categories, enabled, caps, caps_checked_at, created_at,
          updated_at;

-- name: sources_indexer_delete(id)^
DELETE FROM indexers WHERE id = :id RETURNING id;

-- name: sources_indexer_set_caps(id, caps)^
-- updated_at is left alone: the search cache keys on it, and the same endpoint answers the same way.
UPDATE indexers SET caps = CAST(:caps AS jsonb), caps_checked_at = now() WHERE id = :id
RETURNING id, name, url, api_key_ciphertext, key_id, categories, enabled, caps, caps_checked_at, created_at,
          updated_at;

-- name: sources_media_get(media_id)^
SELECT id, media_type, title, year, runtime_minutes, tmdb_id, imdb_id, tvdb_id, extra
FROM media_items WHERE id = :media_id;

-- name: sources_episode_facts(media_id, season, episode)^
-- The wanted episode's runtime and absolute number, and how many episodes its season has (a pack's size
-- is judged per episode). One row even when the episode is not in the catalog (its columns are NULL then).
SELECT e.runtime_minutes, e.absolute_number,
       COALESCE(s.episode_count,
                (SELECT count(*) FROM episodes x WHERE x.media_id = :media_id AND x.season_number = :season)
       )::integer AS season_episodes,
       s.id IS NOT NULL AS season_known
FROM (SELECT 1) one
LEFT JOIN seasons s ON s.media_id = :media_id AND s.season_number = :season
LEFT JOIN episodes e ON e.media_id = :media_id AND e.season_number = :season AND e.episode_number = :episode;

-- name: sources_cache_get(key)^
SELECT payload FROM search_cache WHERE key = :key AND expires_at > now();

-- name: sources_cache_put(key, payload, ttl_seconds)!
INSERT INTO search_cache (key, payload, expires_at)
VALUES (:key, CAST(:payload AS jsonb), now() + make_interval(secs => :ttl_seconds))
ON CONFLICT (key) DO UPDATE SET payload = EXCLUDED.payload, expires_at = EXCLUDED.expires_at, created_at = now();

-- name: sources_cache_purge()!
DELETE FROM search_cache WHERE expires_at <= now();

-- name: sources_earlier_names(user_id, media_id, season, episode)
-- Release names of the show's episodes before (season, episode) -- before the season when episode is NULL --
-- closest first, for the previous episode's release group: the user's current picks and the library's
-- matched files (those the user's own downloads brought, or found on disk by no download; never another
-- user's). For one episode a library file (what is there) goes before a pick. Specials count only for a
-- special. A few rows: the caller takes the first whose names tell a group.
SELECT season, episode, name, alt_name FROM (
    SELECT p.season, p.episode, 1 AS kind, p.created_at AS at, p.name, NULL::text AS alt_name
    FROM picks p
    WHERE p.user_id = :user_id AND p.media_id = :media_id AND p.replaced_at IS NULL AND p.episode IS NOT NULL
      AND (p.season, p.episode) < (CAST(:season AS integer), coalesce(CAST(:episode AS integer), -1))
      AND (p.season > 0 OR CAST(:season AS integer) = 0)
    UNION ALL
    SELECT e.season_number, e.episode_number, 0, li.indexed_at, li.file_name, j.title
    FROM library_items li
    JOIN episodes e ON e.id = li.episode_id AND e.media_id = li.media_id
    LEFT JOIN download_jobs j ON j.id = li.source_job_id
    WHERE li.media_id = :media_id AND li.match_state = 'matched'
      AND (li.source_job_id IS NULL OR j.user_id = :user_id)
      AND (e.season_number, e.episode_number)
          < (CAST(:season AS integer), coalesce(CAST(:episode AS integer), -1))
      AND (e.season_number > 0 OR CAST(:season AS integer) = 0)
) earlier
ORDER BY season DESC, episode DESC, kind, at DESC
LIMIT 6;
