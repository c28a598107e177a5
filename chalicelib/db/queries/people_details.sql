-- Lazy person details (TMDB /person/{id}): the claim and the store (chalicelib/people/details.py).

-- name: people_details_claim(person_id, cooldown_seconds)^
-- Only one request fetches a person's details; a failed fetch waits for the cooldown.
UPDATE people SET details_attempted_at = now()
WHERE id = :person_id AND tmdb_id IS NOT NULL AND details_fetched_at IS NULL
  AND (details_attempted_at IS NULL OR details_attempted_at < now() - make_interval(secs => :cooldown_seconds))
RETURNING id;

-- name: people_details_store(person_id, name, biography, birth_year, death_year, profile_path, known_for_department, imdb_id, popularity)^
-- What TMDB knows; the IMDb id only when no other person row holds it (an IMDb-imported twin keeps it).
UPDATE people p SET
    name = coalesce(:name, p.name),
    biography = coalesce(:biography, p.biography),
    birth_year = coalesce(:birth_year, p.birth_year),
    death_year = coalesce(:death_year, p.death_year),
    profile_path = coalesce(:profile_path, p.profile_path),
    known_for_department = coalesce(:known_for_department, p.known_for_department),
    popularity = coalesce(:popularity, p.popularity),
    imdb_id = CASE WHEN p.imdb_id IS NULL AND :imdb_id::text IS NOT NULL
                        AND NOT EXISTS (SELECT 1 FROM people o WHERE o.imdb_id = :imdb_id) THEN :imdb_id
                   ELSE p.imdb_id END,
    details_fetched_at = now(), details_attempted_at = now(), updated_at = now()
WHERE p.id = :person_id
RETURNING p.*;
