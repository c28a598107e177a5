"""People: person pages (credits from TMDB and IMDb) and follows of people."""
