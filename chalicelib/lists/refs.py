"""Which list a pasted URL names: a Trakt, Letterboxd or IMDb list page, or nothing we read."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from chalicelib.lists.entries import ListRef
from chalicelib.lists.errors import UnsupportedListUrl

SLUG = r"[A-Za-z0-9][A-Za-z0-9._-]{0,99}"
TRAKT_HOSTS = {"trakt.tv", "www.trakt.tv", "app.trakt.tv"}
LETTERBOXD_HOSTS = {"letterboxd.com", "www.letterboxd.com"}
IMDB_HOSTS = {"imdb.com", "www.imdb.com", "m.imdb.com"}
TRAKT_PATH = re.compile(rf"^/users/({SLUG})/lists/({SLUG})/?$")
# /{user}/list/{slug}/ with an optional view suffix (/detail/, /page/2/, /by/name/ …): the list is the same.
LETTERBOXD_PATH = re.compile(rf"^/({SLUG})/list/({SLUG})(?:/.*)?$")
IMDB_PATH = re.compile(r"^/list/(ls[0-9]{1,15})(?:/.*)?$")
EXAMPLES = ("https://trakt.tv/users/{user}/lists/{list}, https://letterboxd.com/{user}/list/{list}/ "
            "or https://www.imdb.com/list/ls…/")


def parse(text: str) -> ListRef:
    """The list a URL names; ``UnsupportedListUrl`` (400) for any other host or shape."""
    raw = text.strip()
    try:
        parts = urlsplit(raw if "://" in raw else f"https://{raw}")
        host, port = (parts.hostname or "").lower(), parts.port
    except ValueError:  # a port that is not a number, a broken IPv6 literal
        raise _unsupported() from None
    if parts.scheme not in ("http", "https") or parts.username or parts.password or port not in (None, 80, 443):
        raise _unsupported()
    if host in TRAKT_HOSTS and (match := TRAKT_PATH.match(parts.path)):
        user, list_id = match.groups()
        return ListRef("trakt", f"https://trakt.tv/users/{user}/lists/{list_id}", user, list_id)
    if host in LETTERBOXD_HOSTS and (match := LETTERBOXD_PATH.match(parts.path)):
        user, slug = match.groups()
        if user.lower() in ("film", "films", "lists", "list"):
            raise _unsupported()
        return ListRef("letterboxd", f"https://letterboxd.com/{user}/list/{slug}/", user, slug)
    if host in IMDB_HOSTS and (match := IMDB_PATH.match(parts.path)):
        return ListRef("imdb", f"https://www.imdb.com/list/{match[1]}/", "", match[1])
    raise _unsupported()


def _unsupported() -> UnsupportedListUrl:
    return UnsupportedListUrl(f"Not a list we can import: paste {EXAMPLES}", fields={"url": "unsupported list URL"})
