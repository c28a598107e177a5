"""A user's own accounts on the household's media servers: link, one-time import of played state, streams."""
