"""The SPA's Content-Security-Policy lets channel thumbnails load: YouTube's image hosts, and the origin this
/seen/ reads YouTube from when it is a mirror (or the tests' fake), whose feeds name images on itself."""

from __future__ import annotations

from server.front import spa_security_headers


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
