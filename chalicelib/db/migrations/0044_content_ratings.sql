-- Content ratings (issue 38, kid profiles). content_rating is the certification shown on the title (TMDB's
-- release_dates / content_ratings for the instance region or US, IGDB's ESRB/PEGI); min_age is what it means
-- (chalicelib/contentrating.age_of). NULL = unrated or not fetched yet: a kid profile never sees it until the
-- lazy detail fetch fills it.
ALTER TABLE media_items
    ADD COLUMN content_rating text CHECK (char_length(content_rating) BETWEEN 1 AND 40),
    ADD COLUMN min_age smallint CHECK (min_age BETWEEN 0 AND 21);

-- A kid's lists read "min_age <= N": rated titles only, by age then popularity (the default order). The adult
-- path has no min_age condition, so its plans never consider this index.
CREATE INDEX media_items_min_age_idx ON media_items (min_age, popularity DESC NULLS LAST)
    WHERE min_age IS NOT NULL;
