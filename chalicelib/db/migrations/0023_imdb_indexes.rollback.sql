DROP INDEX media_credits_tmdb_idx;
