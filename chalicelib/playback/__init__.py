"""Watching: the next episode made ready while one plays, and the storage janitor that spares it."""
