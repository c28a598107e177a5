"""Catalog and discovery: movies and shows (TMDB), games (IGDB), the demo catalog, browse and search.

routes.py    HTTP (thin)                      service.py  discover, browse, genres, details (reads)
search.py    search and type-ahead            details.py  lazy detail fetch with a cooldown
sync.py      scheduled sync jobs              curated.py  YAML collections -> discover rows
tmdb.py      TMDB client (+ tmdb_map.py)      igdb.py     IGDB + Twitch client (+ igdb_map.py)
upstream.py  rate limit and retries           store.py    batch upserts of records.py records
demo.py      bundled demo catalog             images.py   artwork URLs
queries.py   the typed SQL (catalog.sql, similar.sql)          rows.py     the TypedDict rows it returns
"""
