"""Media servers as library sources: mirror a Jellyfin or Plex library, match it to the catalog (issue 36)."""
