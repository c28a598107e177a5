"""Ratings from elsewhere: IMDb, Rotten Tomatoes and Metacritic scores from the OMDb API."""
