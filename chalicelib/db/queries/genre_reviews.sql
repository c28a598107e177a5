-- Custom genres and their review round trip (issue 37): an admin defines a genre with keywords, the titles whose
-- title or synopsis holds one of them are suggested, and each decision (approved | rejected) is kept.

-- name: genre_review_upsert_custom(slug, name, media_types, keywords)$
INSERT INTO genres (source, kind, external_id, name, slug, media_types, keywords)
VALUES ('custom', 'genre', NULL, :name, :slug, :media_types, :keywords)
ON CONFLICT (source, kind, slug) DO UPDATE SET
    name = excluded.name,
    media_types = excluded.media_types,
    keywords = excluded.keywords,
    updated_at = now()
RETURNING id;

-- name: genre_review_custom_genres()
-- Every custom genre with its decisions counted (the suggestions still pending are counted by the sheet).
SELECT g.id, g.slug, g.name, g.media_types, g.keywords,
       count(r.media_id) FILTER (WHERE r.decision = 'approved') AS approved,
       count(r.media_id) FILTER (WHERE r.decision = 'rejected') AS rejected
FROM genres g
LEFT JOIN genre_reviews r ON r.genre_id = g.id
WHERE g.source = 'custom'
GROUP BY g.id
ORDER BY g.name, g.slug;

-- name: genre_review_sheet(genre_id, pattern, media_types, state, row_limit, row_offset)^
-- One page of a custom genre's review sheet: the titles its keywords suggest (a case-insensitive word match in
-- the title or synopsis; :pattern is built from validated keywords) and the titles already decided, with the
-- decision; :state narrows to pending | approved | rejected (NULL: all). Most popular first.
WITH suggested AS (
    SELECT m.id FROM media_items m
    WHERE :pattern::text IS NOT NULL AND m.media_type = ANY(:media_types::text[])
      AND (m.title ~* :pattern OR m.overview ~* :pattern)
), sheet AS (
    SELECT m.id, m.media_type, m.title, m.year, m.overview, m.popularity, r.decision,
           s.id IS NOT NULL AS suggested
    FROM media_items m
    LEFT JOIN genre_reviews r ON r.media_id = m.id AND r.genre_id = :genre_id
    LEFT JOIN suggested s ON s.id = m.id
    WHERE (s.id IS NOT NULL OR r.media_id IS NOT NULL)
      AND (:state::text IS NULL OR coalesce(r.decision, 'pending') = :state)
)
SELECT (SELECT count(*) FROM sheet) AS total,
       (SELECT count(*) FROM sheet WHERE decision IS NULL) AS pending,
       coalesce((SELECT jsonb_agg(to_jsonb(p) ORDER BY p.popularity DESC NULLS LAST, p.id)
                 FROM (SELECT * FROM sheet ORDER BY popularity DESC NULLS LAST, id
                       LIMIT :row_limit OFFSET :row_offset) AS p), '[]'::jsonb) AS items;

-- name: genre_review_decide(genre_id, decided_by, items)$
-- Records the decisions (items: [{media_id, decision}], titles that exist only) and makes the genre's titles
-- follow them: approved -> the title has the genre, rejected -> it has not. Returns how many were recorded.
WITH decisions AS (
    SELECT i.media_id, i.decision
    FROM jsonb_to_recordset(:items::jsonb) AS i(media_id bigint, decision text)
    JOIN media_items m ON m.id = i.media_id
), recorded AS (
    INSERT INTO genre_reviews (media_id, genre_id, decision, decided_by)
    SELECT d.media_id, :genre_id, d.decision, :decided_by FROM decisions d
    ON CONFLICT (genre_id, media_id) DO UPDATE SET
        decision = excluded.decision, decided_by = excluded.decided_by, decided_at = now()
    RETURNING media_id, decision
), added AS (
    INSERT INTO media_genres (media_id, genre_id)
    SELECT media_id, :genre_id FROM recorded WHERE decision = 'approved'
    ON CONFLICT DO NOTHING
), removed AS (
    DELETE FROM media_genres mg USING recorded r
    WHERE mg.genre_id = :genre_id AND mg.media_id = r.media_id AND r.decision = 'rejected'
)
SELECT count(*) FROM recorded;
