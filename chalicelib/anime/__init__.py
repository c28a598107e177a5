"""Anime numbering: MyAnimeList's seasons (through Jikan) and TMDB's absolute episode groups map an absolute
episode number to a catalog (season, episode) and back."""
