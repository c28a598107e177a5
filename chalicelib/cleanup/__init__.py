"""Daily cleanup (scheduled, and "run now" from the admin sync-jobs view)."""
