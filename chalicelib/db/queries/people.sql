-- People: person pages and follows of people (the credits themselves are written by the catalog
-- sync and the IMDb import). Every per-user query filters on :user_id.

-- name: people_page(person_id, user_id, known_for_limit, max_age, collections)^
-- A person page in one statement: the person, whether this user follows them, what they are known for
-- (their most popular titles, then the most voted) and the whole filmography, one entry per title, kind
-- and role, newest first (undated, i.e. announced, titles first). seen: the user watched the movie, or
-- watched or started an episode of the show. A kid profile (:max_age, :collections) sees the person, with
-- only the titles its limit allows.
SELECT p.id, p.name, p.profile_path, p.biography, p.birth_year, p.death_year, p.known_for_department,
    p.tmdb_id, p.details_fetched_at,
    EXISTS (SELECT 1 FROM user_person_follows f WHERE f.user_id = :user_id AND f.person_id = p.id) AS following,
    coalesce((
        SELECT jsonb_agg(to_jsonb(k) - 'rank' ORDER BY k.rank)
        FROM (SELECT m.id, m.media_type, m.title, m.original_title, m.year, m.release_date, m.poster_path,
                     m.backdrop_path, m.vote_average, m.vote_count, m.popularity, m.status, m.is_demo,
                     ARRAY(SELECT g.name FROM media_genres mg JOIN genres g ON g.id = mg.genre_id
                           WHERE mg.media_id = m.id ORDER BY g.kind, g.name) AS genres,
                     row_number() OVER (ORDER BY m.popularity DESC NULLS LAST, m.vote_count DESC, m.id) AS rank
              FROM media_items m
              WHERE m.id IN (SELECT c.media_id FROM media_credits c WHERE c.person_id = p.id)
                -- a kid profile: rated at most its max age, inside its allowed collections when it has any
                AND (:max_age::int IS NULL OR (m.min_age <= :max_age AND (cardinality(:collections::uuid[]) = 0
                     OR EXISTS (SELECT 1 FROM collection_items ci
                                WHERE ci.media_id = m.id AND ci.collection_id = ANY(:collections::uuid[])))))
              ORDER BY rank
              LIMIT :known_for_limit) k), '[]') AS known_for,
    coalesce((
        SELECT jsonb_agg(to_jsonb(f) ORDER BY f.year DESC NULLS FIRST, f.release_date DESC NULLS FIRST, f.title,
                         f.media_id, f.kind, f.role)
        FROM (SELECT DISTINCT ON (c.media_id, c.kind, CASE c.kind WHEN 'cast' THEN c.character ELSE c.job END)
                     c.media_id, m.media_type, m.title, m.year, m.release_date, m.poster_path, c.kind,
                     CASE c.kind WHEN 'cast' THEN c.character ELSE c.job END AS role,
                     EXISTS (SELECT 1 FROM user_watched w WHERE w.user_id = :user_id AND w.media_id = m.id)
                     OR (m.media_type = 'show' AND EXISTS (
                         SELECT 1 FROM user_progress up WHERE up.user_id = :user_id AND up.media_id = m.id))
                     AS seen
              FROM media_credits c JOIN media_items m ON m.id = c.media_id
              WHERE c.person_id = p.id
                -- a kid profile: rated at most its max age, inside its allowed collections when it has any
                AND (:max_age::int IS NULL OR (m.min_age <= :max_age AND (cardinality(:collections::uuid[]) = 0
                     OR EXISTS (SELECT 1 FROM collection_items ci
                                WHERE ci.media_id = m.id AND ci.collection_id = ANY(:collections::uuid[])))))
              ORDER BY c.media_id, c.kind, CASE c.kind WHEN 'cast' THEN c.character ELSE c.job END,
                       c.ordering) f), '[]') AS filmography
FROM people p
WHERE p.id = :person_id;

-- name: people_exists(person_id)$
SELECT EXISTS (SELECT 1 FROM people WHERE id = :person_id);

-- name: people_follow(user_id, person_id)^
-- Follow a person (again: no change, the first "since" stays). No row: no such person.
WITH added AS (
    INSERT INTO user_person_follows (user_id, person_id)
    SELECT :user_id, id FROM people WHERE id = :person_id
    ON CONFLICT (user_id, person_id) DO NOTHING
    RETURNING person_id, created_at
)
SELECT p.id, p.name, p.profile_path, p.known_for_department, coalesce(a.created_at, f.created_at) AS since
FROM people p
LEFT JOIN added a ON a.person_id = p.id
LEFT JOIN user_person_follows f ON f.user_id = :user_id AND f.person_id = p.id
WHERE p.id = :person_id;

-- name: people_unfollow(user_id, person_id)!
DELETE FROM user_person_follows WHERE user_id = :user_id AND person_id = :person_id;

-- name: people_follows(user_id)
-- The people a user follows, newest follow first.
SELECT p.id, p.name, p.profile_path, p.known_for_department, f.created_at AS since
FROM user_person_follows f JOIN people p ON p.id = f.person_id
WHERE f.user_id = :user_id
ORDER BY f.created_at DESC, p.id DESC;
