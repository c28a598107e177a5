"""Torznab XML -> plain data: result items and an indexer's capabilities.

Indexer answers are untrusted input. defusedxml refuses DTDs, entity declarations and external
references (billion laughs, quadratic blowup, XXE) before anything is expanded; the HTTP client caps
the size of what reaches here. Anything that is not a Torznab RSS feed or caps document becomes a
``FeedError`` with a message fit for the admin, never an exception from the depths of a parser.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TypedDict
from urllib.parse import urljoin, urlsplit
from xml.etree.ElementTree import Element, ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring

TORZNAB_NS = "http://torznab.com/schemas/2015/feed"
NEWZNAB_NS = "http://www.newznab.com/DTD/2010/feeds/attributes/"
ATTR_TAGS = (f"{{{TORZNAB_NS}}}attr", f"{{{NEWZNAB_NS}}}attr")
MAX_ITEMS = 1000  # per page; indexers answer 100 at most
MAX_TEXT = 4096  # any one field


class FeedError(Exception):
    """The answer is not usable; the message says why (shown per indexer)."""


@dataclass(frozen=True)
class Item:
    """One ``<item>`` as the indexer wrote it (texts trimmed and capped; nothing validated yet)."""

    title: str
    guid: str | None
    link: str | None
    enclosure_url: str | None
    enclosure_length: str | None
    size: str | None
    pub_date: str | None
    attrs: tuple[tuple[str, str], ...]

    def attr(self, name: str) -> str | None:
        for key, value in self.attrs:  # the first one named so; a handful per item
            if key == name:
                return value
        return None


def _root(data: bytes) -> Element:
    try:
        return fromstring(data, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except DefusedXmlException:
        raise FeedError("the answer declares a DTD or entities, which are refused") from None
    except (ParseError, ValueError, UnicodeError):
        raise FeedError("the answer is not well-formed XML") from None


_KEY_ERRORS = frozenset({"100", "101", "102"})  # Torznab: wrong credentials, account suspended, not allowed


def _check_error(root: Element) -> None:
    if root.tag == "error":
        code = _clip(root.get("code")) or "?"
        description = _clip(root.get("description")) or "no description"
        refused = "the API key was refused: " if code in _KEY_ERRORS else ""
        raise FeedError(f"{refused}the indexer answered error {code[:10]}: {description[:200]}")


def _clip(value: str | None) -> str | None:
    if value is None:
        return None
    value = value.strip()
    return value[:MAX_TEXT] or None


def _text(element: Element, tag: str) -> str | None:
    child = element.find(tag)
    return None if child is None else _clip(child.text)


def parse_feed(data: bytes, base: str | None = None) -> list[Item]:
    """The items of a Torznab search answer; raises ``FeedError`` for an error document or non-RSS."""
    return parse_page(data, base)[0]


def parse_page(data: bytes, base: str | None = None) -> tuple[list[Item], int | None]:
    """The items and, when the indexer says it (``<torznab:response total=>``), how many results there are.
    A relative ``link`` or enclosure URL is read against ``base``, the feed's own URL, as a browser would."""
    root = _root(data)
    _check_error(root)
    channel = root.find("channel") if root.tag == "rss" else None
    if channel is None:
        raise FeedError("the answer is not a Torznab RSS feed")
    response = channel.find(f"{{{TORZNAB_NS}}}response")
    total = _count(response.get("total")) if response is not None else None
    return [_item(element, base) for element in channel.findall("item")[:MAX_ITEMS]], total


def _absolute(value: str | None, base: str | None) -> str | None:
    """``value`` against the feed's URL when it is relative (``/dl/5.torrent``, ``dl?id=5``, ``//host/x``);
    a magnet, an absolute URL or one that cannot be read stays as it is (the candidate step judges it)."""
    if not value or base is None or value[:7].lower() == "magnet:":
        return value
    try:
        if urlsplit(value).scheme:
            return value
        return _clip(urljoin(base, value))
    except ValueError:
        return value


def _item(element: Element, base: str | None = None) -> Item:
    enclosure = element.find("enclosure")
    attrs = tuple((name.lower(), value) for attr in element if attr.tag in ATTR_TAGS
                  if (name := _clip(attr.get("name"))) and (value := _clip(attr.get("value"))) is not None)
    return Item(
        title=_text(element, "title") or "", guid=_text(element, "guid"), link=_absolute(_text(element, "link"), base),
        enclosure_url=_absolute(_clip(enclosure.get("url")), base) if enclosure is not None else None,
        enclosure_length=_clip(enclosure.get("length")) if enclosure is not None else None,
        size=_text(element, "size"), pub_date=_text(element, "pubDate"), attrs=attrs)


# ------------------------------------------------------------------ caps

MODES = {"search": "search", "tv-search": "tv_search", "movie-search": "movie_search"}


class ModeData(TypedDict):
    available: bool
    params: list[str]


class CategoryData(TypedDict):
    id: int
    name: str
    subcategories: list[CategoryData]


class CapsData(TypedDict):
    """What ``t=caps`` says, as the ``Caps`` model's fields (snake_case); stored in ``indexers.caps``."""

    search: ModeData
    tv_search: ModeData
    movie_search: ModeData
    categories: list[CategoryData]
    limit_max: int | None
    limit_default: int | None


def parse_caps(data: bytes) -> CapsData:
    """An indexer's ``t=caps`` as the ``Caps`` model's fields (snake_case)."""
    root = _root(data)
    _check_error(root)
    if root.tag != "caps":
        raise FeedError("the answer is not a Torznab caps document")
    searching = root.find("searching")
    modes: dict[str, ModeData] = {field: {"available": False, "params": []} for field in MODES.values()}
    for element in searching if searching is not None else ():
        if element.tag in MODES:
            modes[MODES[element.tag]] = _mode(element)
    limits = root.find("limits")
    return {"search": modes["search"], "tv_search": modes["tv_search"], "movie_search": modes["movie_search"],
            "categories": [_category(c) for c in root.findall("categories/category")[:200]],
            "limit_max": _positive(limits.get("max")) if limits is not None else None,
            "limit_default": _positive(limits.get("default")) if limits is not None else None}


def _mode(element: Element) -> ModeData:
    params = (element.get("supportedParams") or "q").lower()
    return {"available": (element.get("available") or "").lower() == "yes",
            "params": sorted({p.strip() for p in params.split(",") if p.strip()})[:30]}


def _category(element: Element) -> CategoryData:
    return {"id": _positive(element.get("id")) or 0, "name": (_clip(element.get("name")) or "")[:200],
            "subcategories": [{"id": _positive(sub.get("id")) or 0, "name": (_clip(sub.get("name")) or "")[:200],
                               "subcategories": []} for sub in element.findall("subcat")[:200]]}


def _count(value: str | None) -> int | None:
    text = (value or "").strip()
    return int(text) if text.isdigit() and len(text) <= 10 else None


def _positive(value: str | None) -> int | None:
    text = (value or "").strip()
    return int(text) if text.isdigit() and len(text) <= 10 and 0 < int(text) < 2**31 else None
