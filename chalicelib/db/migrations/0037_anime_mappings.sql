-- Anime numbering (issue 37): a show's seasons on MyAnimeList (the Sequel chain of TV entries, through Jikan)
-- and TMDB's absolute episode group, kept per catalog show so a scan or a release search maps absolute episode
-- numbers without asking Jikan again. Refreshed weekly; a show with no MAL entry keeps mal_id NULL so it is not
-- searched for again before then.
CREATE TABLE anime_mappings (
    media_id    bigint      PRIMARY KEY REFERENCES media_items (id) ON DELETE CASCADE,
    mal_id      integer     CHECK (mal_id > 0),
    mapping     jsonb       NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(mapping) = 'object'),
    fetched_at  timestamptz NOT NULL DEFAULT now()
);
COMMENT ON TABLE anime_mappings IS 'Anime numbering per show: MAL seasons and TMDB''s absolute group (JSON), refreshed weekly.';
