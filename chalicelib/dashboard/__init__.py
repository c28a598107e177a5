"""GET /api/v1/dashboard: every widget in one cached response."""
