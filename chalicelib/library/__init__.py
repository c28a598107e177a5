"""Media library: indexed files, matching, review queue and signed-URL streaming."""
