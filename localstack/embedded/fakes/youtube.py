"""A fake YouTube: channel pages, channels' public Atom feeds, watch pages and the media behind them.

It answers like www.youtube.com where /seen/ reads it without a key:

- ``GET /feeds/videos.xml?channel_id=UC…`` is the channel's Atom feed as YouTube serves it (``yt:``, ``media:``
  namespaces; the 15 newest videos; ``media:group`` with ``media:thumbnail``, ``media:description`` and
  ``media:community/media:statistics@views``), with an ``ETag`` and ``Last-Modified`` (a 304 for
  ``If-None-Match``); an unknown channel is HTTP 404 with an HTML body, as YouTube's.
- ``GET /@handle``, ``/channel/UC…``, ``/c/name`` is the channel page: ``<link rel="canonical"
  href="https://www.youtube.com/channel/UC…">``, ``"externalId":"UC…"`` in its page data and ``og:image``.
- ``GET /watch?v=ID`` is a watch page holding an HTML5 ``<video>`` of ``/media/ID.mp4`` (what yt-dlp's generic
  extractor reads: the real YouTube extractor only takes youtube.com URLs); ``/media/ID.mp4`` answers ranges.
- ``GET /vi/ID/hqdefault.jpg``: a thumbnail.

    python -m embedded.fakes.youtube --port 18340   # then YOUTUBE_BASE_URL=http://127.0.0.1:18340
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import html
import re
from dataclasses import dataclass, field
from email.utils import format_datetime
from xml.sax.saxutils import escape, quoteattr

from embedded.fakes import FakeServer, Recorded, Reply

CHANNEL_PATH = re.compile(r"^/(?:(@[A-Za-z0-9._-]+)|channel/(UC[A-Za-z0-9_-]{22})|c/([A-Za-z0-9._-]+))/?$")
MEDIA_PATH = re.compile(r"^/media/([A-Za-z0-9_-]{11})\.mp4$")
THUMB_PATH = re.compile(r"^/vi/([A-Za-z0-9_-]{11})/hqdefault\.jpg$")
RANGE = re.compile(r"^bytes=(\d+)-(\d*)$")
# A 1x1 JPEG: enough for an <img> to load.
JPEG = bytes.fromhex(
    "ffd8ffe000104a46494600010100000100010000ffdb004300080606070605080707070909080a0c140d0c0b0b0c1912130f141d1a1f1e1d"
    "1a1c1c20242e2720222c231c1c2837292c30313434341f27393d38323c2e333432ffc0000b080001000101011100ffc4001f000001050101"
    "0101010100000000000000000102030405060708090a0bffc400b5100002010303020403050504040000017d010203000411051221314106"
    "13516107227114328191a1082342b1c11552d1f02433627282090a161718191a25262728292a3435363738393a434445464748494a535455"
    "565758595a636465666768696a737475767778797a838485868788898a92939495969798999aa2a3a4a5a6a7a8a9aab2b3b4b5b6b7b8b9"
    "bac2c3c4c5c6c7c8c9cad2d3d4d5d6d7d8d9dae1e2e3e4e5e6e7e8e9eaf1f2f3f4f5f6f7f8f9faffda0008010100003f00fbd3ffd9")
HTML = {"Content-Type": "text/html; charset=utf-8"}


@dataclass
class FakeVideo:
    video_id: str
    channel_id: str
    title: str
    published: dt.datetime
    description: str = ""
    views: int = 0
    media: bytes | None = None  # the watch page has a <video> only when there are bytes to play


@dataclass
class FakeChannel:
    channel_id: str
    title: str
    handle: str | None = None
    videos: list[FakeVideo] = field(default_factory=list)
    updated: dt.datetime = field(default_factory=lambda: dt.datetime(2026, 1, 1, tzinfo=dt.UTC))


class FakeYouTube(FakeServer):
    name = "youtube"

    def __init__(self, host: str = "127.0.0.1", port: int = 0):
        super().__init__(host, port)
        self.channels: dict[str, FakeChannel] = {}
        self.videos: dict[str, FakeVideo] = {}

    def error_body(self, status: int) -> bytes:
        return f"<html><body>Error {status}</body></html>".encode()

    # --- seeding --------------------------------------------------------------

    def add_channel(self, channel_id: str, title: str, handle: str | None = None) -> FakeChannel:
        channel = FakeChannel(channel_id, title, handle)
        with self._lock:
            self.channels[channel_id] = channel
        return channel

    def add_video(self, channel_id: str, video_id: str, title: str, published: dt.datetime, *,
                  description: str = "", views: int = 0, media: bytes | None = None) -> FakeVideo:
        video = FakeVideo(video_id, channel_id, title, published, description, views, media)
        with self._lock:
            channel = self.channels[channel_id]
            channel.videos.append(video)
            channel.videos.sort(key=lambda v: v.published, reverse=True)
            channel.updated = max(channel.updated, published)
            self.videos[video_id] = video
        return video

    # --- answering ------------------------------------------------------------

    def handle(self, request: Recorded) -> Reply:
        path = request.path
        if path == "/feeds/videos.xml":
            return self._feed(request)
        if path == "/watch":
            return self._watch(request.query.get("v", ""))
        if match := CHANNEL_PATH.match(path):
            return self._page(*match.groups())
        if match := MEDIA_PATH.match(path):
            return self._media(match[1], request.headers.get("range"))
        if THUMB_PATH.match(path):
            return Reply(200, JPEG, {"Content-Type": "image/jpeg"})
        return Reply(404, self.error_body(404), HTML)

    def _feed(self, request: Recorded) -> Reply:
        channel = self.channels.get(request.query.get("channel_id", ""))
        if channel is None:
            return Reply(404, self.error_body(404), HTML)
        body = self.feed_xml(channel).encode()
        etag = f'"{hashlib.sha1(body).hexdigest()[:16]}"'  # noqa: S324 - a validator, not security
        headers = {"Content-Type": "text/xml; charset=UTF-8", "ETag": etag,
                   "Last-Modified": format_datetime(channel.updated, usegmt=True)}
        if request.headers.get("if-none-match") == etag:
            return Reply(304, b"", headers)
        return Reply(200, body, headers)

    def feed_xml(self, channel: FakeChannel) -> str:
        origin = self.origin
        entries = "".join(self._entry(video, channel) for video in channel.videos[:15])
        return (
            '<?xml version="1.0" encoding="UTF-8"?>\n'
            '<feed xmlns:yt="http://www.youtube.com/xml/schemas/2015" xmlns:media="http://search.yahoo.com/mrss/" '
            'xmlns="http://www.w3.org/2005/Atom">\n'
            f' <link rel="self" href="{origin}/feeds/videos.xml?channel_id={channel.channel_id}"/>\n'
            f" <id>yt:channel:{channel.channel_id[2:]}</id>\n"
            f" <yt:channelId>{channel.channel_id[2:]}</yt:channelId>\n"
            f" <title>{escape(channel.title)}</title>\n"
            f' <link rel="alternate" href="{origin}/channel/{channel.channel_id}"/>\n'
            f" <author>\n  <name>{escape(channel.title)}</name>\n  <uri>{origin}/channel/{channel.channel_id}</uri>\n"
            " </author>\n"
            " <published>2015-03-02T18:04:01+00:00</published>\n"
            f"{entries}</feed>\n")

    def _entry(self, video: FakeVideo, channel: FakeChannel) -> str:
        origin, when = self.origin, video.published.isoformat()
        return (
            " <entry>\n"
            f"  <id>yt:video:{video.video_id}</id>\n"
            f"  <yt:videoId>{video.video_id}</yt:videoId>\n"
            f"  <yt:channelId>{channel.channel_id}</yt:channelId>\n"
            f"  <title>{escape(video.title)}</title>\n"
            f'  <link rel="alternate" href="{origin}/watch?v={video.video_id}"/>\n'
            f"  <author>\n   <name>{escape(channel.title)}</name>\n"
            f"   <uri>{origin}/channel/{channel.channel_id}</uri>\n  </author>\n"
            f"  <published>{when}</published>\n"
            f"  <updated>{when}</updated>\n"
            "  <media:group>\n"
            f"   <media:title>{escape(video.title)}</media:title>\n"
            f'   <media:content url="{origin}/v/{video.video_id}?version=3" type="application/x-shockwave-flash" '
            'width="640" height="390"/>\n'
            f'   <media:thumbnail url="{origin}/vi/{video.video_id}/hqdefault.jpg" width="480" height="360"/>\n'
            f"   <media:description>{escape(video.description)}</media:description>\n"
            "   <media:community>\n"
            '    <media:starRating count="12" average="5.00" min="1" max="5"/>\n'
            f'    <media:statistics views="{video.views}"/>\n'
            "   </media:community>\n"
            "  </media:group>\n"
            " </entry>\n")

    def _page(self, handle: str | None, channel_id: str | None, legacy: str | None) -> Reply:
        channel = next((c for c in self.channels.values()
                        if c.channel_id == channel_id or (handle and c.handle == handle)
                        or (legacy and c.handle == f"@{legacy}")), None)
        if channel is None:
            return Reply(404, self.error_body(404), HTML)
        title = html.escape(channel.title)
        page = (
            f"<!DOCTYPE html><html><head><title>{title} - YouTube</title>"
            f'<link rel="canonical" href="https://www.youtube.com/channel/{channel.channel_id}">'
            f'<meta property="og:title" content="{title}">'
            f'<meta property="og:image" content="https://yt3.ggpht.com/{channel.channel_id}=s900-c-k-c0x00ffffff-no-rj">'
            f'</head><body><script>var ytInitialData = {{"metadata":{{"channelMetadataRenderer":{{"title":'
            f'"{title}","externalId":"{channel.channel_id}"}}}}}};</script></body></html>')
        return Reply(200, page.encode(), HTML)

    def _watch(self, video_id: str) -> Reply:
        video = self.videos.get(video_id)
        if video is None or video.media is None:
            return Reply(404, b"<html><head><title>YouTube</title></head><body>Video unavailable</body></html>", HTML)
        title = html.escape(video.title)
        page = (
            f"<!DOCTYPE html><html><head><title>{title} - YouTube</title>"
            f'<meta property="og:title" content="{title}"></head><body>'
            f"<video controls><source src={quoteattr(f'/media/{video_id}.mp4')} type=\"video/mp4\"></video>"
            "</body></html>")
        return Reply(200, page.encode(), HTML)

    def _media(self, video_id: str, range_header: str | None) -> Reply:
        video = self.videos.get(video_id)
        if video is None or video.media is None:
            return Reply(404, self.error_body(404), HTML)
        data, total = video.media, len(video.media)
        headers = {"Content-Type": "video/mp4", "Accept-Ranges": "bytes"}
        match = RANGE.match(range_header or "")
        if match is None:
            return Reply(200, data, headers)
        start = int(match[1])
        end = min(int(match[2]) if match[2] else total - 1, total - 1)
        if start >= total:
            return Reply(416, b"", {**headers, "Content-Range": f"bytes */{total}"})
        return Reply(206, data[start:end + 1], {**headers, "Content-Range": f"bytes {start}-{end}/{total}"})


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m embedded.fakes.youtube")
    parser.add_argument("--port", type=int, default=18340)
    args = parser.parse_args()
    fake = FakeYouTube(port=args.port)
    channel = fake.add_channel("UCseenFakeChannel0000001", "Seen Cooking", "@seencooking")
    for day in range(1, 6):
        fake.add_video(channel.channel_id, f"seenVid{day:04d}", f"Weeknight dinner #{day}",
                       dt.datetime(2026, 11, day, 17, 0, tzinfo=dt.UTC), description="A quick recipe.", views=1000)
    print(f"fake YouTube on {fake.origin} (YOUTUBE_BASE_URL={fake.origin}, YOUTUBE_ALLOW_PRIVATE=true)", flush=True)
    fake._server.serve_forever()


if __name__ == "__main__":
    main()
