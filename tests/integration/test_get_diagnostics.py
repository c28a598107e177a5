"""Get explains itself: GET /api/v1/sources says per indexer asked which query it sent, what came back and
why it was rejected, and ranks single episodes above season packs (real fake Torznab servers over HTTP)."""

from __future__ import annotations

import socket

import pytest

from embedded.fakes.torznab import FakeRelease
from tests.integration import sources_support
from tests.integration.sources_support import register_indexer
from tests.integration.tracking_support import Api, Catalog

GB = 1_000_000_000


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
def inception(client):
    from chalicelib import db

    with db.connection() as conn:
        return Catalog(conn).movie("Inception", imdb_id="tt1375666", tmdb_id=27205, release_date="2010-07-16",
                                   runtime_minutes=148)


@pytest.fixture
def show(client):
    from chalicelib import db

    with db.connection() as conn:
        show_id, _ = Catalog(conn).show({1: 7}, title="Breaking Bad")
        conn.execute("UPDATE media_items SET tmdb_id = 1396, runtime_minutes = 47 WHERE id = %s", (show_id,))
    return show_id


def sources(api: Api, media_id: int, season: int | None = None, episode: int | None = None) -> dict:
    query = f"mediaId={media_id}" + (f"&season={season}&episode={episode}" if season is not None else "")
    status, body = api("GET", f"/api/v1/sources?{query}")
    assert status == 200, body
    return body


def test_nothing_found_names_the_indexer_and_the_query_it_was_sent(admin, user, inception, fake_indexer):
    fake = fake_indexer([FakeRelease("The.Matrix.1999.1080p.BluRay.x264-EVO", imdbid="tt0133093")])
    register_indexer(admin.client, admin.headers, fake, "Demo indexer (local)", categories=[2000])
    data = sources(user, inception)
    assert data["candidates"] == [] and data["errors"] == []
    assert data["searched"] == [{
        "indexer": "Demo indexer (local)",
        "query": {"function": "movie", "text": None, "imdbId": "tt1375666", "tmdbId": None, "tvdbId": None,
                  "season": None, "episode": None, "categories": [2000]},
        "found": 0, "fitting": 0, "rejected": 0, "rejections": [], "error": None}]
    sent = next(r.query for r in fake.requests if r.query.get("t") not in (None, "caps"))
    assert (sent["t"], sent["imdbid"], sent["cat"]) == ("movie", "1375666", "2000")  # what the report says
    assert sources(user, inception)["searched"] == data["searched"]  # the cached answer keeps the report


def test_every_release_rejected_is_counted_by_reason_per_indexer(admin, user, inception, fake_indexer):
    starved = [FakeRelease(f"Inception.2010.1080p.WEB-DL.H.264-{g}", size=60_000_000, seeders=30) for g in ("A", "B")]
    dead = FakeRelease("Inception.2010.720p.BluRay.x264-SPARKS", size=4 * GB, seeders=0)
    cam = FakeRelease("Inception.2010.HDCAM.x264-GRP", size=2 * GB, seeders=90)
    junk = FakeRelease("Inception.2010.1080p.WEB-DL.H.264-LINKLESS", link="javascript:alert(1)")
    first = fake_indexer([*starved, dead, junk])
    second = fake_indexer([cam, starved[0]])  # the same starved release on both indexers
    register_indexer(admin.client, admin.headers, first, "Alpha")
    register_indexer(admin.client, admin.headers, second, "beta")
    data = sources(user, inception)
    assert data["candidates"] and all(c["rejected"] for c in data["candidates"])
    alpha, beta = data["searched"]
    assert (alpha["indexer"], alpha["found"], alpha["fitting"], alpha["rejected"]) == ("Alpha", 4, 0, 4)
    assert alpha["rejections"] == [
        {"code": "too_small", "reason": "too small for your quality profile", "count": 2},
        {"code": "unusable", "reason": "without a usable name or download link", "count": 1},
        {"code": "no_seeders", "reason": "without seeders", "count": 1}]
    assert (beta["indexer"], beta["found"], beta["rejected"]) == ("beta", 2, 2)
    assert beta["rejections"] == [
        {"code": "recording", "reason": "cinema recording or screener", "count": 1},
        {"code": "too_small", "reason": "too small for your quality profile", "count": 1}]


def test_a_failing_indexer_says_why_in_words_and_keeps_its_query(admin, user, inception, fake_indexer):
    good = fake_indexer([FakeRelease("Inception.2010.1080p.WEB-DL.H.264-NTb", size=6 * GB)])
    locked = fake_indexer([])
    register_indexer(admin.client, admin.headers, good, "Good")
    created = register_indexer(admin.client, admin.headers, locked, "Locked")
    status, _ = admin("PATCH", f"/api/v1/admin/indexers/{created['id']}", {"apiKey": "not-the-key"})
    assert status == 200
    data = sources(user, inception)
    by_name = {s["indexer"]: s for s in data["searched"]}
    assert by_name["Good"]["fitting"] == 1 and by_name["Good"]["error"] is None
    assert by_name["Locked"]["error"].startswith("the API key was refused")
    assert by_name["Locked"]["found"] == 0 and by_name["Locked"]["query"]["function"] == "search"
    assert data["errors"] == [{"indexer": "Locked", "message": by_name["Locked"]["error"]}]


def test_an_episode_prefers_a_single_episode_release_to_a_bigger_healthier_pack(admin, user, show, fake_indexer):
    pack = FakeRelease("Breaking.Bad.S01.1080p.WEB-DL.DDP5.1.H.264-NTb", size=12 * GB, seeders=400, tmdbid=1396)
    single = FakeRelease("Breaking.Bad.S01E02.720p.WEB-DL.H.264-CTU", size=900_000_000, seeders=6, tmdbid=1396)
    fake = fake_indexer([pack, single])
    register_indexer(admin.client, admin.headers, fake, "Shows")
    data = sources(user, show, 1, 2)
    assert [c["name"] for c in data["candidates"]] == [single.name, pack.name]
    assert data["candidates"][1]["score"]["total"] > data["candidates"][0]["score"]["total"]
    assert data["candidates"][1]["reasons"][0] == "Season pack: ranked below single-episode releases"
    (report,) = data["searched"]
    assert {k: report["query"][k] for k in ("function", "tmdbId", "season", "episode", "text")} == \
        {"function": "tvsearch", "tmdbId": 1396, "season": 1, "episode": 2, "text": None}
    assert (report["found"], report["fitting"]) == (2, 2)


def test_an_episode_takes_the_pack_when_no_single_episode_release_has_seeders(admin, user, show, fake_indexer):
    pack = FakeRelease("Breaking.Bad.S01.1080p.WEB-DL.DDP5.1.H.264-NTb", size=12 * GB, seeders=40, tmdbid=1396)
    single = FakeRelease("Breaking.Bad.S01E02.720p.WEB-DL.H.264-CTU", size=900_000_000, seeders=0, tmdbid=1396)
    register_indexer(admin.client, admin.headers, fake_indexer([single, pack]), "Shows")
    data = sources(user, show, 1, 2)
    best = data["candidates"][0]
    assert best["name"] == pack.name and best["rejected"] is None
    assert best["reasons"][0] == "Season pack: the only source with seeders"
    assert data["searched"][0]["rejections"] == [{"code": "no_seeders", "reason": "without seeders", "count": 1}]


@pytest.mark.parametrize(("fault", "words"), [
    ("hang", "no answer within 1.5 s"),
    ("http401", "the API key was refused (the indexer answered HTTP 401)"),
    ("gone", "cannot reach the indexer"),
])
def test_an_indexer_that_times_out_refuses_or_is_gone_is_reported_in_words(admin, user, inception, fake_indexer,
                                                                            settings_env, fault, words):
    settings_env(SEEN_SOURCES_INDEXER_TIMEOUT=sources_support.HANG_TIMEOUT)
    fake = fake_indexer([FakeRelease("Inception.2010.1080p.WEB-DL.H.264-NTb", size=6 * GB)])
    register_indexer(admin.client, admin.headers, fake, "Faulty")
    held = None
    if fault == "hang":
        fake.mode = "hang"
    elif fault == "http401":
        fake.fail("/api", 401, times=10)
    else:
        port = int(fake.origin.rsplit(":", 1)[1])
        fake.stop()
        # Bound and never listening: connections are refused, and no other test's server (a hanging one: seen
        # once in a parallel run) can take the port meanwhile.
        held = socket.socket()
        held.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        held.bind(("127.0.0.1", port))
    try:
        (report,) = sources(user, inception)["searched"]
    finally:
        if held is not None:
            held.close()
    assert report["indexer"] == "Faulty" and report["found"] == 0 and report["error"].startswith(words)
