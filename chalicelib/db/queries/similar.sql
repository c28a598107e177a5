-- "More like this" on a title page: the candidates and what each shares with the title (see catalog/similar.py).

-- name: similar_candidates(media_id, user_id, walk, per_person, franchise_limit, max_age, collections)
-- Every title of the same type that shares something with :media_id, with what it shares: its place in the
-- stored TMDB/IGDB similar/recommended lists, genres, franchises, key people (top-billed cast, directors,
-- writers, composers, each with the role they had on :media_id) and overview words (English lexemes, the
-- catalog's stand-in for keywords), plus the user's own history with it (watched, rated, dismissed).
-- Bounded: genre-mates come from one walk down the popularity index (:walk titles), people-mates at most
-- :per_person titles per person, franchise-mates at most :franchise_limit; a game's add-ons and base game are
-- listed on the page separately and never come back here.
WITH t AS MATERIALIZED (
    SELECT id, media_type,
           tsvector_to_array(to_tsvector('english', coalesce(overview, ''))) AS words
    FROM media_items WHERE id = :media_id
), own_genres AS MATERIALIZED (
    SELECT genre_id FROM media_genres WHERE media_id = :media_id
), own_franchises AS MATERIALIZED (
    SELECT franchise_id FROM media_franchises WHERE media_id = :media_id
), own_people AS MATERIALIZED (
    SELECT DISTINCT ON (person_id) person_id, role
    FROM (SELECT person_id,
                 CASE WHEN kind = 'cast' THEN 'cast'
                      WHEN lower(job) IN ('director', 'co-director') THEN 'director'
                      WHEN department = 'Writing' OR lower(job) IN (
                          'writer', 'screenplay', 'story', 'novel', 'teleplay', 'author', 'characters') THEN 'writer'
                      WHEN strpos(lower(job), 'composer') > 0 THEN 'composer'
                 END AS role
          FROM media_credits
          WHERE media_id = :media_id AND (kind = 'crew' OR ordering < 8)) p
    WHERE role IS NOT NULL
    ORDER BY person_id, array_position(ARRAY['director', 'writer', 'cast', 'composer'], role)
), links AS MATERIALIZED (
    SELECT related_media_id AS id, min(position) AS position, bool_or(relation = 'recommended') AS recommended
    FROM media_relations WHERE media_id = :media_id AND relation IN ('similar', 'recommended')
    GROUP BY related_media_id
), addons AS MATERIALIZED (
    SELECT related_media_id AS id FROM media_relations
    WHERE media_id = :media_id AND relation IN ('dlc', 'expansion', 'standalone_expansion')
    UNION SELECT media_id FROM media_relations
    WHERE related_media_id = :media_id AND relation IN ('dlc', 'expansion', 'standalone_expansion')
), walk AS (
    SELECT m.id FROM media_items m
    WHERE m.media_type = (SELECT media_type FROM t)
    ORDER BY m.popularity DESC NULLS LAST, m.id LIMIT :walk
), pool AS (
    SELECT id FROM links
    UNION SELECT w.id FROM walk w
          WHERE EXISTS (SELECT 1 FROM media_genres mg WHERE mg.media_id = w.id
                        AND mg.genre_id IN (SELECT genre_id FROM own_genres))
    UNION SELECT x.media_id FROM own_people p
          CROSS JOIN LATERAL (SELECT media_id FROM media_credits c
                              WHERE c.person_id = p.person_id AND c.media_id <> :media_id
                              LIMIT :per_person) x
    UNION (SELECT mf.media_id FROM media_franchises mf
           WHERE mf.franchise_id IN (SELECT franchise_id FROM own_franchises)
           ORDER BY mf.media_id LIMIT :franchise_limit)
), known AS MATERIALIZED (
    SELECT media_id, max(rating) AS rating, bool_or(src = 'w') AS watched, bool_or(src = 'd') AS dismissed
    FROM (SELECT media_id, rating, 'r' AS src FROM user_ratings WHERE user_id = :user_id
          UNION ALL SELECT media_id, NULL, 'w' FROM user_watched WHERE user_id = :user_id
          UNION ALL SELECT media_id, NULL, 'd' FROM user_dismissals WHERE user_id = :user_id) k
    WHERE media_id IN (SELECT id FROM pool)
    GROUP BY media_id
)
SELECT o.id, o.media_type, o.title, o.original_title, o.year, o.release_date, o.poster_path, o.backdrop_path,
       o.vote_average, o.vote_count, o.popularity, o.status, o.is_demo,
       ARRAY(SELECT g.name FROM media_genres mg JOIN genres g ON g.id = mg.genre_id
             WHERE mg.media_id = o.id ORDER BY g.kind, g.name) AS genres,
       l.position AS link_position, coalesce(l.recommended, false) AS link_recommended,
       (SELECT count(*) FROM own_genres) AS own_genre_count,
       (SELECT count(*) FROM media_genres mg WHERE mg.media_id = o.id) AS genre_count,
       (SELECT count(*) FROM media_genres mg
        WHERE mg.media_id = o.id AND mg.genre_id IN (SELECT genre_id FROM own_genres)) AS shared_genres,
       EXISTS (SELECT 1 FROM media_franchises mf
               WHERE mf.media_id = o.id AND mf.franchise_id IN (SELECT franchise_id FROM own_franchises))
           AS same_franchise,
       coalesce((SELECT jsonb_agg(jsonb_build_array(p.role, pe.name) ORDER BY p.role, pe.name)
                 FROM own_people p JOIN people pe ON pe.id = p.person_id
                 WHERE EXISTS (SELECT 1 FROM media_credits c
                               WHERE c.media_id = o.id AND c.person_id = p.person_id
                                 AND (c.kind = 'crew' OR c.ordering < 8))), '[]') AS shared_people,
       cardinality(ARRAY(SELECT unnest((SELECT words FROM t))
                         INTERSECT SELECT unnest(tsvector_to_array(to_tsvector('english', coalesce(o.overview, ''))))))
           AS shared_words,
       k.rating AS your_rating, coalesce(k.watched, false) AS watched, coalesce(k.dismissed, false) AS dismissed
FROM media_items o
LEFT JOIN links l ON l.id = o.id
LEFT JOIN known k ON k.media_id = o.id
WHERE o.id IN (SELECT id FROM pool) AND o.id <> :media_id AND NOT o.adult
  AND o.media_type = (SELECT media_type FROM t)
  AND o.id NOT IN (SELECT id FROM addons)
  AND NOT EXISTS (SELECT 1 FROM media_relations r  -- another game's DLC or expansion: listed on its own page
                  WHERE r.related_media_id = o.id AND r.relation IN ('dlc', 'expansion'))
  -- a kid profile: rated at most its max age, inside its allowed collections when it has any
  AND (:max_age::int IS NULL OR (o.min_age <= :max_age AND (cardinality(:collections::uuid[]) = 0
       OR EXISTS (SELECT 1 FROM collection_items ci
                  WHERE ci.media_id = o.id AND ci.collection_id = ANY(:collections::uuid[])))));
