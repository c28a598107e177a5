"""Settings: per-user preferences (/api/v1/settings) and admin instance settings (/api/v1/admin/settings)."""
