"""The production server for /seen/ (home and make dev)."""
