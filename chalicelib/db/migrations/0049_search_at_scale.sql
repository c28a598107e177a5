-- Search at a million titles (issue 39). Two things a catalog filled by an IMDb import needs:
-- * How well known a title is, for ranking: TMDB's popularity where TMDB knows the title, plus the log of its
--   vote count (IMDb's for the titles only IMDb knows: they have no popularity, and ranked by it alone they
--   came out in arbitrary order). Indexed in that order, so the best-known titles having a common word are
--   read from the top of this index instead of ranking every one of the tens of thousands that have it.
--   The index holds what that read tests (type, title, words) and the columns of the order's expression (the
--   planner reads an expression index alone only when it has them): read alone, without a visit to each
--   row, a word in 0.3% of a million titles took 4 ms instead of 27.
-- * The query's words as the full-text query the search runs, spelling corrected (see 0017), written once
--   here for every statement that needs it (it was copied into each).
CREATE INDEX media_items_fame_idx ON media_items ((coalesce(popularity, 0) + ln(1 + vote_count::float8)) DESC, id)
    INCLUDE (popularity, vote_count, media_type, title, search_tsv);
-- Finer statistics of the titles and their words: whether to read a prefix's or a word's matches and sort
-- them, or read the fame index until enough of them come, the planner decides from how many there are
-- ("the love": estimated 900 of 6,000 with the default, sorted in 16 ms where the index took 2).
ALTER INDEX media_items_title_prefix_idx ALTER COLUMN 1 SET STATISTICS 1000;
ALTER TABLE media_items ALTER COLUMN search_tsv SET STATISTICS 1000;

-- Each word as typed or a dictionary word one edit away; a word that is no dictionary word is taken as a
-- prefix too (it may be being typed); NULL for no words.
-- PL/pgSQL, not SQL: its statement's plan is kept for the session (a SQL function's was made again on every
-- call: 2 ms of a search's 10).
CREATE FUNCTION search_tsquery(words text[]) RETURNS tsquery LANGUAGE plpgsql STABLE PARALLEL SAFE AS $$
BEGIN
    RETURN (
        WITH query_words AS (
            SELECT k.w, k.n, NOT k.known AS as_prefix,
                   -- an unknown word of 3+ letters and, from 4 letters, with one letter deleted
                   CASE WHEN NOT k.known AND char_length(k.w) >= 3 THEN k.w || CASE WHEN char_length(k.w) >= 4
                       THEN ARRAY(SELECT overlay(k.w PLACING '' FROM i FOR 1)
                                  FROM generate_series(1, char_length(k.w)) AS i)
                       ELSE '{}' END END AS edits
            FROM (SELECT u.w, u.n, EXISTS (SELECT 1 FROM search_words s WHERE s.word = u.w) AS known
                  FROM unnest(words) WITH ORDINALITY AS u(w, n)) AS k
        )
        SELECT to_tsquery('simple', string_agg('(' || q.w || CASE WHEN q.as_prefix THEN ':*' ELSE '' END
                                               || fix.alts || ')', ' & ' ORDER BY q.n))
        FROM query_words q
        CROSS JOIN LATERAL (
            SELECT coalesce(string_agg(' | ' || c.word, '' ORDER BY c.word), '') AS alts
            FROM (SELECT v.word FROM search_word_variants v WHERE v.variant = ANY(q.edits)
                  UNION
                  SELECT s.word FROM search_words s WHERE s.word = ANY(q.edits)) AS c
            WHERE c.word <> q.w AND c.word ~ '^\w+$'
        ) AS fix
    );
END
$$;

-- The search's ranking, one definition for its three statements (SQL expressions: the planner inlines them).
-- How well known a title is: the order of media_items_fame_idx.
CREATE FUNCTION search_fame(popularity float8, vote_count integer) RETURNS float8
    LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$ SELECT coalesce(popularity, 0) + ln(1 + vote_count::float8) $$;
-- The tier of a match: 4 the exact title (ignoring a leading article, or the original title), 3 a title
-- that starts with the query, 2 one with every word as typed (:typed, the words as prefixes), 1 the rest.
CREATE FUNCTION search_tier(title text, sort_title text, original_title text, tsv tsvector, q text, prefix text,
                            typed text) RETURNS integer LANGUAGE sql STABLE PARALLEL SAFE AS $$
SELECT CASE WHEN lower(title) = q OR sort_title = q OR lower(original_title) = q THEN 4
            WHEN lower(title) LIKE prefix OR sort_title LIKE prefix OR lower(original_title) LIKE prefix THEN 3
            WHEN typed IS NOT NULL AND tsv @@ to_tsquery('simple', typed) THEN 2
            ELSE 1 END
$$;
-- Closeness to the query, in [0, 0.8): trigram similarity to the whole title (a title of the query's length
-- beats a longer one), and the same with the spaces taken out (the trigrams across word joins make word order
-- count); a title with a word starting as the query's short last word does ("the dark knigt ri": "... Rises"),
-- as it would have been a candidate's word had it been looked up (search.terms leaves it out: too costly).
CREATE FUNCTION search_closeness(title text, sort_title text, original_title text, tsv tsvector, q text,
                                 joined text, partial text) RETURNS float8 LANGUAGE sql STABLE PARALLEL SAFE AS $$
SELECT 0.3 * greatest(similarity(q, lower(title)), similarity(q, sort_title), similarity(q, lower(original_title)))
       + 0.3 * similarity(joined, replace(sort_title, ' ', ''))
       + CASE WHEN partial IS NOT NULL AND tsv @@ to_tsquery('simple', partial || ':*') THEN 0.1999 ELSE 0 END
$$;
-- A search hit as the service reads it: the title's summary, its genres, its tier and rank (a page's twenty).
CREATE FUNCTION search_hit(media_id bigint, tier integer, rank float8) RETURNS jsonb
    LANGUAGE sql STABLE PARALLEL SAFE AS $$
SELECT jsonb_build_object(
           'id', m.id, 'media_type', m.media_type, 'title', m.title, 'original_title', m.original_title,
           'year', m.year, 'release_date', m.release_date, 'poster_path', m.poster_path,
           'backdrop_path', m.backdrop_path, 'vote_average', m.vote_average, 'vote_count', m.vote_count,
           'popularity', m.popularity, 'status', m.status, 'is_demo', m.is_demo, 'tier', tier, 'rank', rank,
           'genres', ARRAY(SELECT g.name FROM media_genres mg JOIN genres g ON g.id = mg.genre_id
                           WHERE mg.media_id = m.id ORDER BY g.kind, g.name))
FROM media_items m WHERE m.id = media_id
$$;
