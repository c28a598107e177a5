-- Subtitles fetched from OpenSubtitles (chalicelib/subtitles/service.py).

-- name: subtitles_item(item_id)^
-- What a search needs: the file's hash, the matched title's ids (for an episode: the show's ids and
-- the episode's numbers) and the languages the item has already.
SELECT li.id, li.oshash,
       CASE WHEN li.match_state = 'matched' AND li.media_id IS NOT NULL THEN m.media_type END AS media_type,
       CASE WHEN li.match_state = 'matched' THEN m.tmdb_id END AS tmdb_id,
       CASE WHEN li.match_state = 'matched' THEN m.imdb_id END AS imdb_id,
       e.season_number, e.episode_number,
       ARRAY(SELECT s.language FROM library_subtitles s WHERE s.library_item_id = li.id) AS languages
FROM library_items li
LEFT JOIN media_items m ON m.id = li.media_id
LEFT JOIN episodes e ON e.id = li.episode_id AND li.match_state = 'matched'
WHERE li.id = :item_id;

-- name: subtitles_recent_searches(item_id, since)
-- The languages searched for this item since :since (the cooldown).
SELECT language FROM library_subtitle_searches WHERE library_item_id = :item_id AND searched_at >= :since;

-- name: subtitles_mark_searched(item_id, language, found)!
INSERT INTO library_subtitle_searches (library_item_id, language, found)
VALUES (:item_id, :language, :found)
ON CONFLICT (library_item_id, language) DO UPDATE SET searched_at = now(), found = EXCLUDED.found;

-- name: subtitles_insert_fetched(item_id, language, label, storage_key, format, external_id)^
-- One fetched track; fetching the same language again replaces it (same storage key).
INSERT INTO library_subtitles (library_item_id, language, label, storage_key, source, format, external_id)
VALUES (:item_id, :language, :label, :storage_key, 'opensubtitles', :format, :external_id)
ON CONFLICT (storage_key) DO UPDATE
SET language = EXCLUDED.language, label = EXCLUDED.label, format = EXCLUDED.format,
    external_id = EXCLUDED.external_id, updated_at = now()
WHERE library_subtitles.library_item_id = EXCLUDED.library_item_id
RETURNING id, library_item_id, language, label, storage_key, source, format, is_default, is_forced, external_id;

-- name: subtitles_user_languages(user_id)^
SELECT subtitle_language, subtitle_languages FROM user_preferences WHERE user_id = :user_id;
