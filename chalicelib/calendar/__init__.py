"""Release calendar: the scheduled fill from TMDB/IGDB, the demo schedule, per-user reads, the iCal feed."""

# A user's release dates come from this region unless they set one (shared by the reads and the fill,
# here so that reading a calendar does not import the fill and its upstream clients).
DEFAULT_REGION = "US"
