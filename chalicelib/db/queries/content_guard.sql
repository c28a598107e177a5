-- The content guard (chalicelib/profiles/guard.py): whether a kid profile's limit reaches a title, a file.
-- :max_age NULL is no limit; a kid reaches a title rated at most :max_age that is in one of :collections
-- when it has any (the same rule as every kid-filtered list).

-- name: guard_media_allowed(media_id, max_age, collections)$
SELECT EXISTS (
    SELECT 1 FROM media_items m
    WHERE m.id = :media_id
      AND (:max_age::int IS NULL OR (m.min_age <= :max_age AND (cardinality(:collections::uuid[]) = 0
           OR EXISTS (SELECT 1 FROM collection_items ci
                      WHERE ci.media_id = m.id AND ci.collection_id = ANY(:collections::uuid[])))))
);

-- name: guard_library_item_allowed(item_id, max_age, collections)$
-- A file matched to no title is out of a kid's reach: nothing says what it holds.
SELECT EXISTS (
    SELECT 1 FROM library_items li
    JOIN media_items m ON m.id = li.media_id
    WHERE li.id = :item_id
      AND (:max_age::int IS NULL OR (m.min_age <= :max_age AND (cardinality(:collections::uuid[]) = 0
           OR EXISTS (SELECT 1 FROM collection_items ci
                      WHERE ci.media_id = m.id AND ci.collection_id = ANY(:collections::uuid[])))))
);
