"""YouTube channels beside shows: follows, their videos from the public Atom feeds, and Get through yt-dlp."""
