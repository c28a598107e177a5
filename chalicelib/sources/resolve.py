"""A chosen candidate -> what a download job is created from: a magnet, or the bytes of its .torrent.

A .torrent link on the indexer's own origin (scheme, host and port of its configured URL) is fetched
from it even on a private address: the admin chose that host. A link anywhere else -- including a
redirect off the indexer -- goes through the download egress guard, so a result cannot make the API
fetch from the home network or the cloud metadata address. Indexers (Prowlarr, Jackett) often answer
a download link with a redirect to a magnet: that magnet is the source then.
"""

from __future__ import annotations

from typing import Literal
from urllib.parse import urljoin

import httpx

from chalicelib import db, egress, errors
from chalicelib.config import get_settings
from chalicelib.downloads import torrentmeta
from chalicelib.downloads.sources import UrlNotAllowed
from chalicelib.egress import clients
from chalicelib.sources import queries
from chalicelib.sources.scoring_types import Candidate

MAX_REDIRECTS = 5
SourceKind = Literal["magnet", "torrent"]


class SourceUnavailable(errors.DomainError):
    """The result's link did not give a torrent (the indexer is down, answered an error page...)."""

    status, code = 502, "source_unavailable"


def resolve_source(candidate: Candidate) -> tuple[SourceKind, str | None, bytes | None]:
    """``('magnet', magnet, None)`` or ``('torrent', None, torrent_bytes)``; 4xx/502 domain errors otherwise."""
    if candidate.magnet:
        torrentmeta.parse_magnet(candidate.magnet)  # InvalidMagnet (422) for anything but a usable magnet
        return "magnet", candidate.magnet, None
    if not candidate.link:
        raise errors.ValidationFailed("This result has neither a magnet nor a .torrent link",
                                      fields={"source": "missing"})
    return _fetch(candidate.link, _indexer_origin(candidate.indexer))


def origin(url: str) -> tuple[str, str, int] | None:
    try:
        scheme, host, port = egress.split_url(url)
    except egress.UrlRefused:
        return None
    return scheme, host.lower(), port or egress.DEFAULT_PORTS[scheme]


def _indexer_origin(name: str) -> tuple[str, str, int] | None:
    with db.connection() as conn:
        row = queries.indexer_by_name(conn, name=name)
    return origin(row["url"]) if row else None


def _fetch(url: str, indexer_origin: tuple[str, str, int] | None) -> tuple[SourceKind, str | None, bytes | None]:
    settings = get_settings()
    for _ in range(MAX_REDIRECTS + 1):
        if url[:7].lower() == "magnet:":
            torrentmeta.parse_magnet(url)
            return "magnet", url, None
        own = indexer_origin is not None and origin(url) == indexer_origin
        try:
            egress.split_url(url)
            location, raw = _get(url, allow_private=own or settings.downloads.allow_private)
        except egress.UrlRefused as exc:
            raise UrlNotAllowed(f"The result's link cannot be fetched: {exc}", fields={"source": exc.code}) from None
        if location is None:
            return "torrent", None, _checked_torrent(raw)
        url = urljoin(url, location)
    raise SourceUnavailable("The result's link redirects too often")


def _get(url: str, *, allow_private: bool) -> tuple[str | None, bytes]:
    settings = get_settings()
    try:
        with clients.client(allow_private=allow_private, timeout=settings.sources.torrent_timeout) as http, \
                http.stream("GET", url) as response:
            if response.is_redirect and response.headers.get("location"):
                return response.headers["location"].strip(), b""
            if response.status_code != 200:
                raise SourceUnavailable(f"The result's link answered HTTP {response.status_code}")
            return None, clients.read_capped(response, settings.downloads.max_torrent_bytes)
    except clients.TooLarge:
        raise torrentmeta.TorrentTooLarge("The result's .torrent file is too large") from None
    except httpx.HTTPError as exc:
        raise SourceUnavailable(f"The result's link cannot be fetched ({type(exc).__name__})") from None


def _checked_torrent(raw: bytes) -> bytes:
    limits = get_settings().downloads
    torrentmeta.parse_torrent(raw, torrentmeta.Limits(limits.max_files, limits.max_total_bytes))
    return raw

