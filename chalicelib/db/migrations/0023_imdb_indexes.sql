-- IMDb import speed: the principals import skips titles that have TMDB credits, a lookup per title in
-- each batch; this small index (TMDB credits only) answers it without reading the title's IMDb credits
-- or, as the planner did with a growing table, scanning every credit.
-- depends: 0022_notifications
CREATE INDEX media_credits_tmdb_idx ON media_credits (media_id) WHERE source = 'tmdb';
