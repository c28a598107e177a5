"""Admin-only endpoints under /api/v1/admin (users first; later issues add more)."""
