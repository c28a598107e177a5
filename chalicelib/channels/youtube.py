"""YouTube without a key: a channel named by URL, @handle or id, and its public Atom feed.

A channel id (``UC`` + 22 characters) is the feed's key: ``/feeds/videos.xml?channel_id=``. A handle or a
legacy ``/c/`` or ``/user/`` URL is resolved once by reading the channel page's canonical link. Every request
goes through the egress guard's pinned client (no redirects followed by httpx: the few YouTube sends are
followed here, each hop checked again), with bounded bodies and no cookies beyond the consent answer.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from urllib.parse import parse_qs, urljoin, urlsplit
from xml.etree.ElementTree import Element

import httpx
from defusedxml import ElementTree

from chalicelib import egress
from chalicelib.channels.errors import FeedFailed, InvalidChannel
from chalicelib.config import ChannelSettings
from chalicelib.egress import clients

CHANNEL_ID = re.compile(r"^UC[A-Za-z0-9_-]{22}$")
HANDLE = re.compile(r"^@[A-Za-z0-9._-]{1,100}$")
VIDEO_ID = re.compile(r"^[A-Za-z0-9_-]{11}$")
YOUTUBE_HOSTS = {"youtube.com", "www.youtube.com", "m.youtube.com", "music.youtube.com"}
# Where a channel page names its id: the canonical link, the page data, the microdata.
PAGE_IDS = (
    re.compile(r'<link rel="canonical" href="https?://(?:www\.)?youtube\.com/channel/(UC[A-Za-z0-9_-]{22})"'),
    re.compile(r'"externalId":"(UC[A-Za-z0-9_-]{22})"'),
    re.compile(r'<meta itemprop="(?:identifier|channelId)" content="(UC[A-Za-z0-9_-]{22})"'),
)
OG_IMAGE = re.compile(r'<meta property="og:image" content="(https://[^"]{1,500})"')
MAX_HOPS = 3
NS = {"atom": "http://www.w3.org/2005/Atom", "yt": "http://www.youtube.com/xml/schemas/2015",
      "media": "http://search.yahoo.com/mrss/"}
USER_AGENT = "Mozilla/5.0 (compatible; seen/1; +https://github.com/seen)"
# Without it a visitor from the EU is sent to consent.youtube.com instead of the page.
CONSENT_COOKIE = "SOCS=CAI"


@dataclass(frozen=True)
class Named:
    """What the user typed, understood: a channel id, or a page to resolve it from."""

    channel_id: str | None = None
    path: str | None = None  # "/@handle", "/c/name" or "/user/name" on the YouTube site
    handle: str | None = None


@dataclass(frozen=True)
class FeedVideo:
    youtube_id: str
    title: str
    url: str
    published_at: dt.datetime
    description: str | None
    thumbnail_url: str | None
    views: int | None


@dataclass(frozen=True)
class Feed:
    channel_id: str
    title: str
    videos: list[FeedVideo]
    etag: str | None = None
    last_modified: str | None = None


@dataclass(frozen=True)
class NotModified:
    """The feed is as it was at the validators sent."""


@dataclass(frozen=True)
class Page:
    channel_id: str
    thumbnail_url: str | None


def parse_input(text: str, base_url: str) -> Named:
    """A channel URL, ``@handle`` or id as typed; ``InvalidChannel`` (422) when it names no channel."""
    value = text.strip()
    if CHANNEL_ID.match(value):
        return Named(channel_id=value)
    if HANDLE.match(value):
        return Named(path=f"/{value}", handle=value)
    if "://" not in value and value.split("/", 1)[0].lower() in YOUTUBE_HOSTS:
        value = f"https://{value}"
    parts = urlsplit(value)
    hosts = YOUTUBE_HOSTS | {urlsplit(base_url).netloc.lower()}
    if parts.scheme not in ("http", "https") or parts.netloc.lower() not in hosts:
        raise InvalidChannel("Give a YouTube channel URL, an @handle or a channel id (UC…)",
                             fields={"url": "not a YouTube channel"})
    segments = [s for s in parts.path.split("/") if s]
    feed_id = parse_qs(parts.query).get("channel_id", [""])[0]
    if segments[:2] == ["feeds", "videos.xml"] and CHANNEL_ID.match(feed_id):
        return Named(channel_id=feed_id)
    if len(segments) >= 2 and segments[0] == "channel" and CHANNEL_ID.match(segments[1]):
        return Named(channel_id=segments[1])
    if segments and HANDLE.match(segments[0]):
        return Named(path=f"/{segments[0]}", handle=segments[0])
    if len(segments) >= 2 and segments[0] in ("c", "user") and re.match(r"^[A-Za-z0-9._-]{1,100}$", segments[1]):
        return Named(path=f"/{segments[0]}/{segments[1]}")
    raise InvalidChannel("That YouTube URL is not a channel (a video or playlist URL names no channel to follow)",
                         fields={"url": "not a channel URL"})


def _text(node: Element | None) -> str | None:
    if node is None or node.text is None:
        return None
    return node.text.strip() or None


def _when(raw: str | None) -> dt.datetime | None:
    if not raw:
        return None
    try:
        moment = dt.datetime.fromisoformat(raw.replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


def _video(entry: Element, base_url: str) -> FeedVideo | None:
    """One ``<entry>``; None for an entry without a usable id, title or date (skipped, never fatal)."""
    youtube_id = _text(entry.find("yt:videoId", NS))
    title = _text(entry.find("atom:title", NS))
    published = _when(_text(entry.find("atom:published", NS)))
    if not youtube_id or not VIDEO_ID.match(youtube_id) or not title or published is None:
        return None
    link = entry.find("atom:link[@rel='alternate']", NS)
    url = link.get("href") if link is not None else None
    if not url or urlsplit(url).scheme not in ("http", "https"):
        url = f"{base_url}/watch?v={youtube_id}"
    group = entry.find("media:group", NS)
    thumbnail = group.find("media:thumbnail", NS) if group is not None else None
    stats = group.find("media:community/media:statistics", NS) if group is not None else None
    views = stats.get("views") if stats is not None else None
    thumb_url = thumbnail.get("url") if thumbnail is not None else None
    return FeedVideo(
        youtube_id=youtube_id, title=title[:1000], url=url[:2000], published_at=published,
        description=_text(group.find("media:description", NS)) if group is not None else None,
        thumbnail_url=thumb_url if thumb_url and thumb_url.startswith(("https://", "http://")) else None,
        views=int(views) if views and views.isdigit() else None)


def parse_feed(body: bytes, base_url: str) -> Feed:
    """A channel's Atom feed (defusedxml: no entities, no external references); ``FeedFailed`` when it is not."""
    try:
        root = ElementTree.fromstring(body)
    except Exception as exc:  # defusedxml raises ParseError or its own refusals (entities, DTDs)
        raise FeedFailed("feed_invalid", "YouTube's answer was not a channel feed") from exc
    channel_id = _text(root.find("yt:channelId", NS))
    if root.tag != f"{{{NS['atom']}}}feed" or not channel_id:
        raise FeedFailed("feed_invalid", "YouTube's answer was not a channel feed")
    if not channel_id.startswith("UC"):  # some feeds carry the id without its "UC"
        channel_id = f"UC{channel_id}"
    videos = [video for entry in root.findall("atom:entry", NS) if (video := _video(entry, base_url))]
    title = _text(root.find("atom:title", NS)) or channel_id
    return Feed(channel_id=channel_id, title=title[:300], videos=videos)


class YouTube:
    """``resolve(named)`` → the channel page's id, ``feed(channel_id, etag, last_modified)``."""

    def __init__(self, settings: ChannelSettings, http: httpx.Client | None = None):
        self.settings = settings
        self.base = settings.youtube_base_url
        self._http = http or clients.client(allow_private=settings.youtube_allow_private, timeout=settings.timeout)

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> YouTube:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _get(self, url: str, max_bytes: int, headers: dict[str, str] | None = None) -> httpx.Response:
        """GET with the few redirects YouTube sends followed by hand (each hop through the guard), body capped."""
        sent = {"User-Agent": USER_AGENT, "Accept-Language": "en", "Cookie": CONSENT_COOKIE, **(headers or {})}
        for _ in range(MAX_HOPS + 1):
            try:
                egress.check_url(url, allow_private=self.settings.youtube_allow_private)
                with self._http.stream("GET", url, headers=sent) as response:
                    if response.is_redirect and (location := response.headers.get("location")):
                        url = urljoin(url, location)
                        continue
                    body = clients.read_capped(response, max_bytes)
                    return httpx.Response(response.status_code, headers=response.headers, content=body,
                                          request=response.request)
            except egress.UrlRefused as exc:
                raise FeedFailed("feed_refused", f"YouTube's address was refused: {exc}") from exc
            except clients.TooLarge as exc:
                raise FeedFailed("feed_too_large", f"YouTube's answer was too large ({exc})") from exc
            except httpx.HTTPError as exc:
                raise FeedFailed("feed_unreachable", f"YouTube did not answer ({type(exc).__name__})") from exc
        raise FeedFailed("feed_unreachable", "YouTube redirected too many times")

    def page(self, named: Named) -> Page:
        """The channel page of a handle or legacy name: its id (and avatar); ``FeedFailed`` when there is none."""
        response = self._get(f"{self.base}{named.path}", self.settings.max_page_bytes)
        if response.status_code == 404:
            raise FeedFailed("channel_not_found", f"YouTube has no channel at {named.path}")
        if response.status_code != 200:
            raise FeedFailed("feed_unreachable", f"YouTube answered {response.status_code} for {named.path}")
        text = response.text
        found = next((m.group(1) for pattern in PAGE_IDS if (m := pattern.search(text))), None)
        if found is None:
            raise FeedFailed("channel_not_found", f"The page at {named.path} names no channel")
        avatar = OG_IMAGE.search(text)
        return Page(channel_id=found, thumbnail_url=avatar.group(1) if avatar else None)

    def feed(self, channel_id: str, etag: str | None = None, last_modified: str | None = None) -> Feed | NotModified:
        """The channel's feed (its 15 newest videos); ``NotModified`` when the validators still hold."""
        headers = {"Accept": "application/atom+xml, application/xml;q=0.9"}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        response = self._get(f"{self.base}/feeds/videos.xml?channel_id={channel_id}", self.settings.max_feed_bytes,
                             headers)
        if response.status_code == 304:
            return NotModified()
        if response.status_code == 404:
            raise FeedFailed("channel_not_found", f"YouTube has no channel {channel_id}")
        if response.status_code != 200:
            raise FeedFailed("feed_unreachable", f"YouTube answered {response.status_code} for the feed")
        feed = parse_feed(response.content, self.base)
        if feed.channel_id != channel_id:
            raise FeedFailed("feed_invalid", "YouTube answered with another channel's feed")
        return Feed(channel_id, feed.title, feed.videos, response.headers.get("etag"),
                    response.headers.get("last-modified"))
