"""The SPA's Content-Security-Policy lets channel thumbnails load: YouTube's image hosts, and the origin this
/seen/ reads YouTube from when it is a mirror (or the tests' fake), whose feeds name images on itself."""

from __future__ import annotations

import threading
import time
from typing import Any, cast

from server.front import MEDIA_SERVERS_TTL, Front, spa_security_headers


def img_src(headers: dict[str, str]) -> list[str]:
    policy = dict(part.strip().split(" ", 1) for part in headers["Content-Security-Policy"].split(";"))
    return policy["img-src"].split()


def test_youtube_thumbnails_load_and_only_a_configured_mirror_is_added(settings_env):
    settings_env(YOUTUBE_BASE_URL="https://www.youtube.com")
    hosts = img_src(spa_security_headers(None, None))
    assert {"https://i.ytimg.com", "https://yt3.ggpht.com"} <= set(hosts)
    assert not any("youtube.com" in host for host in hosts)
    settings_env(YOUTUBE_BASE_URL="http://127.0.0.1:18340")
    assert "http://127.0.0.1:18340" in img_src(spa_security_headers(None, "http://media.lan:9000"))


def media_src(front: Front) -> list[str]:
    sent: dict[str, str] = {}
    front({"PATH_INFO": "/app/play/x", "REQUEST_METHOD": "GET"}, lambda status, headers: sent.update(headers))
    policy = dict(part.strip().split(" ", 1) for part in sent["Content-Security-Policy"].split(";"))
    return policy["media-src"].split()


def test_a_page_never_waits_for_the_media_servers_to_be_read_again(monkeypatch):
    # Read once on the first page; after that in the background, while pages go out with the last list (a
    # database that stalls must not stall the pages: CI once saw a page take 1 s here).
    origins = ["http://jellyfin.lan:8096"]
    reads: list[threading.Event] = []

    def media_servers() -> list[str]:
        gate = threading.Event()
        reads.append(gate)
        if len(reads) > 1:
            assert gate.wait(10)
        return list(origins)

    front = Front(api=cast(Any, None), media_servers=media_servers)
    assert media_src(front)[2:] == ["http://jellyfin.lan:8096"] and len(reads) == 1  # the first page waits
    now = time.monotonic()
    monkeypatch.setattr(time, "monotonic", lambda: now + MEDIA_SERVERS_TTL + 1)
    origins.append("http://plex.lan:32400")
    started = time.perf_counter()
    assert media_src(front)[2:] == ["http://jellyfin.lan:8096"]  # the last list, at once, while the read hangs
    assert media_src(front)[2:] == ["http://jellyfin.lan:8096"]
    assert time.perf_counter() - started < 1 and len(reads) == 2  # one refresh in flight, not one per page
    reads[1].set()
    deadline = time.perf_counter() + 10
    while media_src(front)[2:] != ["http://jellyfin.lan:8096", "http://plex.lan:32400"]:
        assert time.perf_counter() < deadline, "the refreshed list never reached the pages"
        time.sleep(0.01)
    assert len(reads) == 2  # fresh again: no further read
