"""Indexers (admin) and GET /api/v1/sources against real fake Torznab servers over HTTP."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from embedded.fakes.torznab import FakeRelease
from tests.integration import sources_support
from tests.integration.sources_support import episode_releases, register_indexer
from tests.integration.tracking_support import Api, Catalog

INDEXERS = "/api/v1/admin/indexers"


@pytest.fixture
def sources_env(settings_env):
    sources_support.use_sources(settings_env)
    return settings_env


@pytest.fixture
def fake_indexer():
    yield from sources_support.fake_indexers()


@pytest.fixture
def admin(client, make_user, sources_env):
    return Api(client, make_user(role="admin")[1])


@pytest.fixture
def user(client, make_user, sources_env):
    return Api(client, make_user()[1])


@pytest.fixture
def show(client):
    """Breaking Bad, season 1 (7 episodes), with its TMDB id."""
    from chalicelib import db

    with db.connection() as conn:
        show_id, _ = Catalog(conn).show({1: 7}, title="Breaking Bad")
        conn.execute("UPDATE media_items SET tmdb_id = 1396, runtime_minutes = 47 WHERE id = %s", (show_id,))
    return show_id


def register(admin: Api, fake, name: str, **fields) -> dict:
    return register_indexer(admin.client, admin.headers, fake, name, **fields)


def sources(api: Api, media_id: int, season: int | None = None, episode: int | None = None, extra: str = ""):
    query = f"mediaId={media_id}" + (f"&season={season}" if season is not None else "") + \
        (f"&episode={episode}" if episode is not None else "") + extra
    return api("GET", f"/api/v1/sources?{query}")


# ------------------------------------------------------------------ admin


def test_indexer_crud_never_returns_the_api_key(admin, fake_indexer):
    fake = fake_indexer()
    created = register(admin, fake, "Prowlarr", categories=[5000, 2000])
    assert created["apiKeySet"] is True and "apiKey" not in created and created["caps"] is None
    assert created["categories"] == [2000, 5000] and created["enabled"] is True
    status, listed = admin("GET", INDEXERS)
    assert status == 200 and [i["name"] for i in listed["items"]] == ["Prowlarr"]
    assert fake.api_key not in json.dumps(listed)
    status, patched = admin("PATCH", f"{INDEXERS}/{created['id']}", {"enabled": False, "apiKey": "new-key"})
    assert status == 200 and patched["enabled"] is False and patched["apiKeySet"] is True
    from chalicelib import db

    with db.connection() as conn:
        stored = conn.execute("SELECT api_key_ciphertext FROM indexers").fetchone()["api_key_ciphertext"]
    assert b"new-key" not in bytes(stored)
    assert admin("DELETE", f"{INDEXERS}/{created['id']}")[0] == 204
    assert admin("DELETE", f"{INDEXERS}/{created['id']}")[0] == 404
    assert admin("GET", INDEXERS)[1]["items"] == []


@pytest.mark.parametrize(("url", "accepted"), [
    ("http://192.168.1.20:9696/1/api", True),  # Prowlarr on the LAN: allowed for an admin
    ("https://jackett.home.arpa/api/v2.0/indexers/all/results/torznab/api?x=1", True),
    ("ftp://indexer.example/api", False),
    ("http://user:secret@indexer.example/api", False),
    ("http://169.254.169.254/latest/meta-data", False),
    ("http://0.0.0.0:9696/api", False),
    ("http:///api", False),
    ("http://indexer.example/api#frag", False),
    ("javascript:alert(1)", False),
])
def test_indexer_urls_are_validated(admin, url, accepted):
    status, data = admin("POST", INDEXERS, {"name": "X", "url": url, "apiKey": "k"})
    assert status == (201 if accepted else 422), data
    if not accepted:
        assert "url" in data["error"]["fields"]


def test_indexer_input_errors_are_4xx_and_write_nothing(admin, user, fake_indexer):
    fake = fake_indexer()
    register(admin, fake, "Main")
    assert admin("POST", INDEXERS, {"name": "main", "url": fake.url, "apiKey": "k"})[1]["error"]["code"] == \
        "indexer_name_taken"
    assert admin("POST", INDEXERS, {"name": "B", "url": fake.url})[0] == 422  # the key is required
    assert admin("POST", INDEXERS, {"name": "B", "url": fake.url, "apiKey": "k", "categories": [-1]})[0] == 422
    assert admin("PATCH", f"{INDEXERS}/not-a-uuid", {"enabled": True})[0] == 404
    other = register(admin, fake, "Other")
    assert admin("PATCH", f"{INDEXERS}/{other['id']}", {"name": "MAIN"})[0] == 409
    assert admin("PATCH", f"{INDEXERS}/{other['id']}", {"url": None})[0] == 422
    status, body = admin("PATCH", f"{INDEXERS}/{other['id']}", {"categories": None})  # was a 500 (NOT NULL)
    assert status == 422 and "categories" in body["error"]["fields"], body
    assert user("GET", INDEXERS)[0] == 403
    assert user("POST", INDEXERS, {"name": "C", "url": fake.url, "apiKey": "k"})[0] == 403
    assert [i["name"] for i in admin("GET", INDEXERS)[1]["items"]] == ["Main", "Other"]


def test_without_a_settings_key_no_indexer_can_be_stored(admin, settings_env, monkeypatch, fake_indexer):
    monkeypatch.delenv("SEEN_SETTINGS_KEY")
    settings_env()
    status, data = admin("POST", INDEXERS, {"name": "A", "url": fake_indexer().url, "apiKey": "k"})
    assert status == 503 and data["error"]["code"] == "settings_key_missing"
    assert admin("GET", INDEXERS)[1]["items"] == []


def test_test_reads_the_caps_and_stores_them(admin, fake_indexer):
    fake = fake_indexer(params={"tv-search": "q,season,ep,tvdbid"})
    created = register(admin, fake, "Fake")
    status, tested = admin("POST", f"{INDEXERS}/{created['id']}/test")
    assert status == 200, tested
    assert tested["caps"]["tvSearch"] == {"available": True, "params": ["ep", "q", "season", "tvdbid"]}
    assert tested["caps"]["movieSearch"]["params"] == ["imdbid", "q", "tmdbid"]
    assert [c["id"] for c in tested["caps"]["categories"]] == [2000, 5000]
    assert tested["caps"]["limitMax"] == 100 and tested["capsCheckedAt"] is not None
    assert admin("GET", INDEXERS)[1]["items"][0]["caps"] == tested["caps"]
    assert fake.requests[-1].query["apikey"] == fake.api_key


@pytest.mark.parametrize(("mode", "message"), [
    ("garbage", "not well-formed XML"), ("http500", "HTTP 500"), ("bomb", "DTD or entities"),
    ("hang", "no answer within 1.5 s"), ("wrong-key", "error 100: Incorrect user credentials"),
])
def test_test_of_a_failing_indexer_is_a_502_naming_the_problem(admin, fake_indexer, settings_env, mode, message):
    settings_env(SEEN_SOURCES_INDEXER_TIMEOUT=sources_support.HANG_TIMEOUT)
    fake = fake_indexer()
    created = register(admin, fake, "Broken", **({"apiKey": "wrong"} if mode == "wrong-key" else {}))
    fake.mode = mode if mode != "wrong-key" else "ok"
    status, data = admin("POST", f"{INDEXERS}/{created['id']}/test")
    assert status == 502 and data["error"]["code"] == "indexer_unreachable"
    assert message in data["error"]["message"] and "Broken" in data["error"]["message"]
    assert "wrong" not in data["error"]["message"] and fake.api_key not in data["error"]["message"]


# ------------------------------------------------------------------ search


def test_search_over_three_indexers_gives_partial_results_and_per_indexer_errors(admin, user, show, fake_indexer,
                                                                                  settings_env):
    settings_env(SEEN_SOURCES_INDEXER_TIMEOUT=sources_support.HANG_TIMEOUT)
    good = fake_indexer(episode_releases("Breaking Bad", 1, 2, 12))
    slow = fake_indexer(episode_releases("Breaking Bad", 1, 2, 5, seed=7))
    slow.mode = "hang"
    junk = fake_indexer()
    junk.mode = "garbage"
    for name, fake in (("Good", good), ("Hangs", slow), ("Junk", junk)):
        register(admin, fake, name)
    status, data = sources(user, show, 1, 2)
    assert status == 200, data
    assert len(data["candidates"]) == 12, data["errors"]
    assert {c["indexer"] for c in data["candidates"]} == {"Good"}
    assert data["errors"] == [{"indexer": "Hangs", "message": "no answer within 1.5 s"},
                              {"indexer": "Junk", "message": "the answer is not well-formed XML"}]
    first = data["candidates"][0]
    assert set(first) >= {"name", "infohash", "size", "seeders", "leechers", "indexer", "parsed", "score",
                          "rejected", "reasons"}
    assert set(first["score"]) == {"total", "health", "quality", "size", "consistency"}
    assert first["parsed"]["episodes"] == [2] and first["rejected"] is None
    totals = [c["score"]["total"] for c in data["candidates"] if c["rejected"] is None]
    assert totals == sorted(totals, reverse=True)
    rejected = [c["rejected"] is not None for c in data["candidates"]]
    assert rejected == sorted(rejected)  # rejected last


def test_relative_links_are_read_against_the_feed_and_unusable_releases_are_named(admin, user, show,
                                                                                 fake_indexer):
    """Real feeds (issue 59): a ``link`` relative to the feed's address is a link on the indexer's host, and a
    release that cannot be used is in the search's errors with its title and why, never silently gone."""
    fake = fake_indexer([
        FakeRelease("Breaking.Bad.S01E05.1080p.WEB-DL.x264-GRP", link="/download/5.torrent?id=5"),
        FakeRelease("Breaking.Bad.S01E05.720p.HDTV.x264-GRP", link="dl/6.torrent"),
        FakeRelease("Breaking.Bad.S01E05.2160p.WEB-DL.x265-GRP", link="javascript:alert(1)"),
        FakeRelease("Breaking.Bad.S01E05.480p.WEB.x264-GRP", link="file:///etc/passwd"),
    ])
    register(admin, fake, "Relative")
    status, data = sources(user, show, 1, 5)
    assert status == 200, data
    assert sorted(c["name"] for c in data["candidates"]) == ["Breaking.Bad.S01E05.1080p.WEB-DL.x264-GRP",
                                                             "Breaking.Bad.S01E05.720p.HDTV.x264-GRP"]
    assert sorted((e["indexer"], e["title"], e["message"]) for e in data["errors"]) == [
        ("Relative", "Breaking.Bad.S01E05.2160p.WEB-DL.x265-GRP", "no valid magnet or http(s) link"),
        ("Relative", "Breaking.Bad.S01E05.480p.WEB.x264-GRP", "no valid magnet or http(s) link")]
    assert fake.api_key not in json.dumps(data)


def test_a_second_search_is_served_from_the_cache(admin, user, show, fake_indexer, redis_client):
    fake = fake_indexer(episode_releases("Breaking Bad", 1, 3, 4))
    register(admin, fake, "Good")
    first = sources(user, show, 1, 3)
    asked = len(fake.requests)
    assert first[0] == 200 and asked >= 2  # caps (never tested) + one page
    assert sources(user, show, 1, 3) == first and len(fake.requests) == asked
    assert redis_client.keys("seen:v1:sources:*")
    redis_client.flushdb()  # Redis lost it: the search_cache row answers
    assert sources(user, show, 1, 3) == first and len(fake.requests) == asked
    assert sources(user, show, 1, 3, "&fresh=true")[0] == 200 and len(fake.requests) > asked


def test_changing_the_indexers_starts_a_new_cache_entry(admin, user, show, fake_indexer):
    fake = fake_indexer(episode_releases("Breaking Bad", 1, 4, 3))
    created = register(admin, fake, "Good")
    assert len(sources(user, show, 1, 4)[1]["candidates"]) == 3
    admin("PATCH", f"{INDEXERS}/{created['id']}", {"enabled": False})
    assert sources(user, show, 1, 4)[1] == {"candidates": [], "errors": [], "searched": []}


def test_episode_search_uses_tvsearch_with_ids_season_and_episode(admin, user, show, fake_indexer):
    fake = fake_indexer([FakeRelease("Breaking.Bad.S01E05.1080p.WEB-DL.H.264-NTb", tmdbid=1396),
                         FakeRelease("Breaking.Bad.S01E06.1080p.WEB-DL.H.264-NTb", tmdbid=1396),
                         FakeRelease("Breaking.Bad.S01.1080p.BluRay.x264-ROVERS", tmdbid=1396)])
    register(admin, fake, "Ids", categories=[5000])
    data = sources(user, show, 1, 5)[1]
    search = next(r.query for r in fake.requests if r.query.get("t") != "caps")
    assert {k: search[k] for k in ("t", "tmdbid", "season", "ep", "cat", "offset")} == \
        {"t": "tvsearch", "tmdbid": "1396", "season": "1", "ep": "5", "cat": "5000", "offset": "0"}
    assert "q" not in search
    names = {c["name"]: c for c in data["candidates"]}
    assert set(names) == {"Breaking.Bad.S01E05.1080p.WEB-DL.H.264-NTb", "Breaking.Bad.S01.1080p.BluRay.x264-ROVERS"}
    assert names["Breaking.Bad.S01.1080p.BluRay.x264-ROVERS"]["parsed"]["pack"] is True


def test_a_plain_indexer_is_asked_with_title_and_episode_text(admin, user, show, fake_indexer):
    fake = fake_indexer([FakeRelease("Breaking.Bad.S01E02.720p.HDTV.x264-CTU")],
                        params={"tv-search": "q", "movie-search": "q"})
    register(admin, fake, "Plain")
    data = sources(user, show, 1, 2)[1]
    search = next(r.query for r in fake.requests if r.query.get("t") != "caps")
    assert search["t"] == "tvsearch" and search["q"] == "Breaking Bad S01E02"
    assert [c["name"] for c in data["candidates"]] == ["Breaking.Bad.S01E02.720p.HDTV.x264-CTU"]


def test_results_page_through_the_indexer(admin, user, show, fake_indexer):
    fake = fake_indexer(episode_releases("Breaking Bad", 1, 1, 45), limit_max=20)
    register(admin, fake, "Paged")
    assert len(sources(user, show, 1, 1)[1]["candidates"]) == 45
    offsets = [r.query["offset"] for r in fake.requests if r.query.get("t") == "tvsearch"]
    assert offsets == ["0", "20", "40"]


def test_an_answer_over_the_size_cap_is_that_indexers_error(admin, user, show, fake_indexer, sources_env):
    sources_env(SEEN_SOURCES_MAX_RESPONSE_BYTES="4096")
    register(admin, fake_indexer(episode_releases("Breaking Bad", 1, 5, 40)), "Huge")
    register(admin, fake_indexer(episode_releases("Breaking Bad", 1, 5, 1, seed=3)), "Small")
    data = sources(user, show, 1, 5)[1]
    assert data["errors"] == [{"indexer": "Huge", "message": "the answer is larger than 4 KB"}]
    assert [c["indexer"] for c in data["candidates"]] == ["Small"]


def test_a_season_search_asks_for_the_season_and_finds_packs(admin, user, show, fake_indexer):
    fake = fake_indexer([FakeRelease("Breaking.Bad.S01.1080p.BluRay.x264-ROVERS"),
                         FakeRelease("Breaking.Bad.S02.1080p.BluRay.x264-ROVERS")])
    register(admin, fake, "Packs")
    data = sources(user, show, 1)[1]
    search = next(r.query for r in fake.requests if r.query.get("t") == "tvsearch")
    assert search["season"] == "1" and "ep" not in search
    assert [c["name"] for c in data["candidates"]] == ["Breaking.Bad.S01.1080p.BluRay.x264-ROVERS"]


def test_results_without_a_usable_magnet_or_link_are_dropped(admin, user, show, fake_indexer):
    fake = fake_indexer([
        FakeRelease("Breaking.Bad.S01E07.1080p.WEB-DL.H.264-NTb"),
        FakeRelease("Breaking.Bad.S01E07.720p.WEB-DL.H.264-BAD", link="magnet:?xt=urn:btih:nothex"),
        FakeRelease("Breaking.Bad.S01E07.720p.WEB-DL.H.264-JS", link="javascript:alert(1)"),
        FakeRelease("Breaking.Bad.S01E07.480p.WEB-DL.H.264-FILE", link="file:///etc/passwd"),
    ])
    register(admin, fake, "Mixed")
    data = sources(user, show, 1, 7)[1]
    assert [c["name"] for c in data["candidates"]] == ["Breaking.Bad.S01E07.1080p.WEB-DL.H.264-NTb"]


def test_search_input_errors(user, show, client):
    from chalicelib import db

    with db.connection() as conn:
        cat = Catalog(conn)
        movie, game = cat.movie("Heat"), cat.game("Doom")
    assert sources(user, 999_999_999)[1]["error"]["code"] == "media_not_found"
    assert sources(user, game)[0] == 404
    for query in ("mediaId=abc", "mediaId=0", f"mediaId={show}&season=-1", f"mediaId={show}&episode=2",
                  f"mediaId={movie}&season=1", f"mediaId={show}&season=1&bogus=1", ""):
        status, data = user("GET", f"/api/v1/sources?{query}")
        assert status in (400, 422) and "error" in data, query
    assert client.http.get(f"/api/v1/sources?mediaId={show}").status_code == 401


def test_searches_are_rate_limited_per_user_but_cache_hits_are_free(admin, user, show, fake_indexer, sources_env):
    sources_env(SEEN_SOURCES_SEARCH_RATE="2/60")
    register(admin, fake_indexer(), "Empty")
    assert sources(user, show, 1, 1)[0] == 200
    assert sources(user, show, 1, 1)[0] == 200  # cached
    assert sources(user, show, 1, 2)[0] == 200
    status, data = sources(user, show, 1, 3)
    assert status == 429 and data["error"]["code"] == "rate_limited"
    assert sources(admin, show, 1, 3)[0] == 200  # another user has their own budget


def test_search_works_with_redis_down(admin, user, show, fake_indexer, sources_env):
    register(admin, fake_indexer(episode_releases("Breaking Bad", 1, 6, 2)), "Good")
    from chalicelib import cache

    sources_env(REDIS_URL="redis://127.0.0.1:1/0")
    cache.reset()
    try:
        first = sources(user, show, 1, 6)
        assert first[0] == 200 and len(first[1]["candidates"]) == 2
        assert sources(user, show, 1, 6) == first
    finally:
        cache.reset()


# ------------------------------------------------------------------ resolve_source


def _candidate(name: str, indexer: str, *, magnet: str | None = None, link: str | None = None):
    from chalicelib.sources.release import parse_release
    from chalicelib.sources.scoring_types import Candidate

    return Candidate(name=name, infohash=None, size=None, seeders=1, leechers=0, indexer=indexer,
                     published_at=None, magnet=magnet, link=link, release=parse_release(name))


def test_resolve_source_fetches_torrents_from_the_indexer_host_only(admin, fake_indexer, tmp_path: Path):
    from chalicelib import errors
    from chalicelib.sources.service import resolve_source
    from embedded.testpeers import make_file, make_torrent

    make_file(tmp_path / "ep.mkv", 64 * 1024)
    torrent = make_torrent(tmp_path / "ep.mkv")
    fake = fake_indexer([FakeRelease("Breaking.Bad.S01E01.720p.WEB-DL.H.264-NTb", torrent=torrent)])
    register(admin, fake, "Home")
    own = f"{fake.origin}/download/0.torrent?apikey={fake.api_key}"
    assert resolve_source(_candidate("x", "Home", link=own)) == ("torrent", None, torrent)
    magnet = "magnet:?xt=urn:btih:" + "a" * 40
    assert resolve_source(_candidate("x", "Home", magnet=magnet)) == ("magnet", magnet, None)
    elsewhere = fake_indexer([FakeRelease("other", torrent=torrent)])  # another host inside the home network
    with pytest.raises(errors.ValidationFailed) as refused:
        resolve_source(_candidate("x", "Home", link=f"{elsewhere.origin}/download/0.torrent?apikey=k"))
    assert refused.value.code == "url_not_allowed" and not elsewhere.requests
    with pytest.raises(errors.ValidationFailed):
        resolve_source(_candidate("x", "Home", magnet="magnet:?xt=urn:btih:garbage"))
    fake.mode = "http500"
    with pytest.raises(errors.DomainError) as failed:
        resolve_source(_candidate("x", "Home", link=f"{fake.origin}/api?t=get"))
    assert failed.value.status == 502


# ------------------------------------------------------------------ make dev


@pytest.mark.peers  # the demo indexer seeds its releases from a libtorrent peer
def test_make_dev_registers_the_demo_indexer_and_moves_it_on_restart(user, client, settings_env):
    from chalicelib import db
    from embedded import demo_media
    from embedded.__main__ import DEMO_INDEXER, start_demo_indexer

    # The clips first (half a minute on a new checkout, as test_demo_indexer does), and the product's indexer
    # timeout, not this module's 1.5 s for hanging fakes: a first answer on a busy machine takes longer.
    demo_media.ensure_demo()
    settings_env(SEEN_SOURCES_INDEXER_TIMEOUT="10")

    with db.connection() as conn:
        movie = Catalog(conn).movie("The Matrix", imdb_id="tt0133093", tmdb_id=603, release_date="1999-03-31",
                                    runtime_minutes=136)
    env: dict[str, str] = {}
    first = start_demo_indexer(env)
    try:
        assert env["SEEN_DOWNLOAD_ALLOW_PRIVATE"] == "true"
        data = sources(user, movie)[1]
        assert data["errors"] == [] and {c["indexer"] for c in data["candidates"]} == {DEMO_INDEXER}
        assert len(data["candidates"]) >= 3 and not data["candidates"][0]["rejected"]  # several qualities
        assert all(c["infohash"] for c in data["candidates"])
        (searched,) = data["searched"]  # the demo indexer, asked by the film's IMDb id
        assert (searched["indexer"], searched["found"], searched["query"]["imdbId"]) == \
            (DEMO_INDEXER, len(data["candidates"]), "tt0133093")
    finally:
        first.stop()
    second = start_demo_indexer({})
    try:
        with db.connection() as conn:
            rows = conn.execute("SELECT name, url FROM indexers").fetchall()
        assert rows == [{"name": DEMO_INDEXER, "url": second.url}]
    finally:
        second.stop()
