"""Settings: per-user preferences and the quality profile (/api/v1/settings), admin instance settings
(/api/v1/admin/settings), and the encryption of secrets at rest (``crypto``)."""
