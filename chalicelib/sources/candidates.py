"""Torznab items -> scoring candidates: info hash, magnet or .torrent link, size, swarm, date, parsed name.

A result is kept when it can be downloaded: a valid magnet (its btih, hex or base32, gives the info
hash) or an http(s) link to a .torrent (info hash from ``torznab:attr infohash`` when the indexer
gives it, else unknown until the file is fetched). Everything else -- no name, a magnet without a
valid hash, a ``javascript:`` or ``file:`` link, garbage -- is dropped with a reason; nothing here
raises on what an indexer sends.
"""

from __future__ import annotations

import base64
import re
import unicodedata
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

from chalicelib import egress, errors
from chalicelib.downloads import torrentmeta
from chalicelib.sources.feed import Item
from chalicelib.sources.release import parse_release
from chalicelib.sources.scoring_types import Candidate

MAX_NAME = 500
MAX_LINK = 8192  # download_jobs.source
MAX_COUNT = 10_000_000  # seeders/peers beyond this are nonsense
MAX_SIZE = 2**53
_HEX = re.compile(r"^[0-9a-f]{40}$")
_B32 = re.compile(r"^[a-z2-7]{32}$")
# What almost every indexer sends: the hex btih first. parse_magnet reads the same hash from it (the first
# xt wins there too); anything else takes the full parse.
_PLAIN_MAGNET = re.compile(r"magnet:\?xt=urn:btih:([0-9a-fA-F]{40})(?:&|$)")


class Dropped(Exception):
    """The item cannot become a candidate; the message says why."""


def to_candidate(item: Item, indexer: str) -> Candidate:
    """The item as a candidate of ``indexer``; raises ``Dropped`` when it cannot be downloaded."""
    name = _name(item.title)
    if not name:
        raise Dropped("no title")
    magnet, magnet_hash = _magnet(item)
    link = _link(item)
    if magnet is None and link is None:
        raise Dropped("no valid magnet or http(s) link")
    seeders, leechers = _swarm(item)
    return Candidate(name=name, infohash=_infohash(item.attr("infohash")) or magnet_hash,
                     size=_size(item), seeders=seeders, leechers=leechers, indexer=indexer,
                     published_at=_date(item.pub_date), magnet=magnet, link=link, release=parse_release(name))


def _name(title: str) -> str:
    text = title if title.isprintable() else \
        "".join(" " if unicodedata.category(ch)[0] == "C" else ch for ch in title)
    return " ".join(text.split())[:MAX_NAME]


def _magnet(item: Item) -> tuple[str | None, str | None]:
    for value in (item.attr("magneturl"), item.link, item.enclosure_url, item.guid):
        if value and value[:7].lower() == "magnet:" and len(value) <= MAX_LINK:
            if plain := _PLAIN_MAGNET.match(value):
                return value, plain.group(1).lower()
            try:
                return value, torrentmeta.parse_magnet(value).info_hash
            except errors.DomainError:
                continue
    return None, None


def _link(item: Item) -> str | None:
    for value in (item.enclosure_url, item.link):
        if not value or value[:7].lower() == "magnet:" or len(value) > MAX_LINK:
            continue
        try:
            egress.split_url(value)
        except egress.UrlRefused:
            continue
        if not any(ch.isspace() or ord(ch) < 32 for ch in value):
            return value
    return None


def _infohash(value: str | None) -> str | None:
    text = (value or "").strip().lower()
    if _HEX.match(text):
        return text
    if _B32.match(text):
        return base64.b32decode(text.upper()).hex()
    return None


def _number(value: str | None, limit: int) -> int | None:
    text = (value or "").strip()
    if not text.isdigit() or len(text) > 20:
        return None
    number = int(text)
    return number if number <= limit else None


def _size(item: Item) -> int | None:
    for value in (item.attr("size"), item.size, item.enclosure_length):
        size = _number(value, MAX_SIZE)
        if size:
            return size
    return None


def _swarm(item: Item) -> tuple[int | None, int | None]:
    seeders = _number(item.attr("seeders"), MAX_COUNT)
    leechers = _number(item.attr("leechers"), MAX_COUNT)
    peers = _number(item.attr("peers"), MAX_COUNT)  # Torznab: peers = seeders + leechers
    if leechers is None and peers is not None and seeders is not None:
        leechers = max(0, peers - seeders)
    return seeders, leechers


def _date(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        parsed = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)
