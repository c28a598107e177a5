"""Trakt public lists through Trakt's API v2: ``GET /users/{id}/lists/{list_id}`` (the name) and
``GET /users/{id}/lists/{list_id}/items?page=N&limit=100``, paged by ``X-Pagination-Page-Count``.

Every call carries ``trakt-api-version: 2`` and the instance's app client id as ``trakt-api-key``. An item is
``{"rank", "listed_at", "type": "movie"|"show"|"season"|"episode"|"person", "movie"|"show": {"title", "year",
"ids": {"trakt", "slug", "imdb", "tmdb"}}, …}``; a season or an episode stands for its show, a person for nothing.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from chalicelib import jsondepth
from chalicelib.config import ListSettings
from chalicelib.lists import values
from chalicelib.lists.entries import Entry, Fetch, ListData, ListRef, MediaType
from chalicelib.lists.errors import ListFailed
from chalicelib.lists.fetch import check_status

SERVICE = "Trakt"
PAGE_SIZE = 100
SHOWS = ("show", "season", "episode")  # a season or an episode item carries its show


def _json(body: bytes, what: str) -> Any:
    try:
        return jsondepth.loads(body)
    except ValueError:
        raise ListFailed("list_malformed", f"Trakt answered something that is not JSON for {what}") from None


def entry(item: Any) -> Entry | None:
    """One list item as an entry (None: a person, or not a title at all)."""
    if not isinstance(item, dict):
        return None
    kind = item.get("type")
    media_type: MediaType | None = "movie" if kind == "movie" else "show" if kind in SHOWS else None
    title = item.get(media_type) if media_type else None
    if not isinstance(title, dict) or media_type is None:
        return None
    ids = title.get("ids")
    ids = ids if isinstance(ids, dict) else {}
    return Entry(media_type=media_type, title=values.text(title.get("title")), year=values.year(title.get("year")),
                 imdb_id=values.imdb_id(ids.get("imdb")), tmdb_id=values.positive(ids.get("tmdb")))


def read(ref: ListRef, fetch: Fetch, settings: ListSettings) -> ListData:
    """The list's name and items in rank order; ``ListFailed`` when it cannot be read whole."""
    if not settings.trakt_client_id:
        raise ListFailed("trakt_not_configured", "Trakt lists need TRAKT_CLIENT_ID (ask the admin to set it)")
    headers = {"trakt-api-version": "2", "trakt-api-key": settings.trakt_client_id,
               "Content-Type": "application/json"}
    base = f"{settings.trakt_api_url}/users/{quote(ref.owner, safe='')}/lists/{quote(ref.list_id, safe='')}"
    status, _, body = fetch(base, headers)
    check_status(status, SERVICE, ref.url)
    meta = _json(body, "the list")
    name = values.text(meta.get("name")) if isinstance(meta, dict) else None
    entries: list[Entry] = []
    page, pages = 1, 1
    while page <= pages:
        status, found_headers, body = fetch(f"{base}/items?page={page}&limit={PAGE_SIZE}", headers)
        check_status(status, SERVICE, ref.url)
        items = _json(body, "the list's items")
        if not isinstance(items, list):
            raise ListFailed("list_malformed", "Trakt's list items are not a list")
        entries += [found for item in items if (found := entry(item)) is not None]
        values.check_size(len(entries), settings)
        pages = values.positive(found_headers.get("x-pagination-page-count")) or 1
        if pages > settings.max_pages:
            raise ListFailed("list_too_large", f"The list has {pages} pages; at most {settings.max_pages} are read")
        page += 1
    return ListData(title=name or f"{ref.owner}/{ref.list_id}", entries=entries)
