"""Release calendar: the scheduled fill from TMDB/IGDB, the demo schedule, per-user reads, the iCal feed."""
