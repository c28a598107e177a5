"""`make dev`'s demo indexer (issue 34, item 1): every demo-catalog title has releases, and they really play.

The indexer is the one `make dev` starts (``embedded.fakes.torznab.start_demo``): real HTTP, real Torznab XML,
releases made and seeded by a libtorrent peer on 127.0.0.1 when a feed first lists them, their files the
short real clips of ``embedded.demo_media`` (made by ffmpeg once, cached under .data/demo-media/). The feed is
read over HTTP and parsed by the app's own Torznab parser; the files are checked with ffprobe; a pick is
downloaded by the real worker process and streams from the bucket.
"""

from __future__ import annotations

import signal
import time
import urllib.request
from datetime import date
from pathlib import Path

import httpx
import pytest

from chalicelib import db
from chalicelib.sources.feed import parse_page
from embedded import demo_media
from embedded.fakes import demo_indexer
from embedded.fakes.demo_releases import DemoCatalog
from embedded.fakes.torznab import start_demo
from embedded.testworker import Driver, WorkerProcess
from tests.integration.picks_support import make_world
from tests.integration.sources_support import register_indexer
from tests.integration.tracking_support import Catalog

pytestmark = pytest.mark.peers  # real BitTorrent peers on loopback

MATRIX_IMDB, INCEPTION_TMDB, BREAKING_BAD_TMDB = "0133093", 27205, 1396


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    demo_media.ensure_demo()  # the first run makes the clips (about half a minute); later runs reuse them
    indexer = start_demo(tmp_path_factory.mktemp("demo") / "demo-indexer")
    yield indexer
    indexer.stop()


def feed(indexer, **params: str) -> list:
    url = indexer.url + "?" + "&".join(f"{k}={v}" for k, v in params.items())
    with urllib.request.urlopen(url, timeout=15) as response:
        return parse_page(response.read())[0]


def files_of(indexer, infohash: str) -> list[Path]:
    offer = indexer.swarm.by_infohash(infohash)
    assert offer is not None, f"{infohash} is not seeded"
    return sorted(p for p in offer.folder.rglob("*") if p.is_file())


def codecs(path: Path) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for stream in demo_media.probe(path)["streams"]:
        found.setdefault(stream["codec_type"], []).append(stream["codec_name"])
    return found


def test_a_movie_is_found_by_imdb_id_tmdb_id_and_title_in_several_qualities(demo):
    by_imdb = feed(demo, t="movie", imdbid=MATRIX_IMDB)
    names = [item.title for item in by_imdb]
    assert len(names) == 4 and all(n.startswith("The.Matrix.1999.") for n in names), names
    assert {"2160p", "1080p", "720p"} <= {n.split(".")[3] for n in names}
    assert all(int(item.size) > 1_000_000_000 and item.attr("infohash") and item.attr("seeders") for item in by_imdb)
    assert all(1 <= len(n.rsplit("-", 1)[1]) <= 10 for n in names)  # a release group

    by_tmdb = [item.title for item in feed(demo, t="movie", tmdbid=str(INCEPTION_TMDB))]
    assert len(by_tmdb) == 4 and all(n.startswith("Inception.2010.") for n in by_tmdb), by_tmdb
    by_title = [item.title for item in feed(demo, t="search", q="Schindler%27s+List+1993")]
    assert len(by_title) == 4 and all(n.startswith("Schindlers.List.1993.") for n in by_title), by_title
    assert feed(demo, t="movie", imdbid="9999999") == []


def test_an_episode_search_answers_that_episode_and_its_season_pack(demo):
    items = feed(demo, t="tvsearch", tmdbid=str(BREAKING_BAD_TMDB), season="1", ep="2")
    names = [item.title for item in items]
    singles = [n for n in names if ".S01E02." in n]
    assert len(singles) == 2 and len(names) == 3, names
    [pack] = [item for item in items if ".S01." in item.title]
    assert int(pack.size) > sum(int(item.size) for item in items if item is not pack)  # a pack is the whole season
    # With a TMDB key the client also sends a tvdbid, which the demo catalog lacks: the show is still found.
    with_tvdb = feed(demo, t="tvsearch", tvdbid="81189", tmdbid=str(BREAKING_BAD_TMDB), season="1", ep="2")
    assert [item.title for item in with_tvdb] == names


def test_a_season_pack_holds_one_real_file_per_episode_named_like_the_release(demo):
    items = feed(demo, t="tvsearch", tmdbid=str(BREAKING_BAD_TMDB), season="1")
    [pack] = [item for item in items if ".S01." in item.title]
    assert sum(".S01E" in item.title for item in items) == 14  # 7 episodes in two qualities
    files = files_of(demo, pack.attr("infohash"))
    group = pack.title.rsplit("-", 1)[1]
    assert [f.name for f in files] == [f"Breaking.Bad.S01E0{n}.1080p.BluRay.x264-{group}.mp4" for n in range(1, 8)]
    assert all(f.parent.name == pack.title for f in files)
    assert codecs(files[6]) == {"video": ["h264"], "audio": ["aac"]}


def test_every_listed_release_is_seeding_not_queued(demo):
    """libtorrent pauses all but 5 seeding torrents (its active_seeds queue) and rotates them every 30 s: the
    newcomer's season pack, listed after a dozen releases, waited ~45 s for its first byte."""
    listed = [item.title for q in ("Inception+2010", "The+Matrix+1999") for item in feed(demo, t="search", q=q)]
    listed += [item.title for item in feed(demo, t="tvsearch", tmdbid=str(BREAKING_BAD_TMDB), season="1")]
    assert len(listed) > 5, listed
    time.sleep(1)  # libtorrent's queue looks at new torrents within a second
    statuses = {name: demo.swarm.offers[name].handle.status() for name in listed}
    assert [name for name, status in statuses.items() if status.paused] == []
    assert {str(status.state) for status in statuses.values()} == {"seeding"}


def test_each_release_of_a_movie_is_a_real_clip_with_the_codecs_its_name_promises(demo):
    by_tag = {}
    for item in feed(demo, t="movie", imdbid=MATRIX_IMDB):
        [path] = files_of(demo, item.attr("infohash"))
        assert path.name.startswith(item.title + ".")
        info = demo_media.probe(path)
        assert 25 <= float(info["format"]["duration"]) <= 91, info["format"]
        by_tag[item.title.split(".", 3)[3].rsplit("-", 1)[0]] = codecs(path)
    assert by_tag == {
        "2160p.UHD.BluRay.x265.10bit.HDR.DDP5.1": {"video": ["hevc"], "audio": ["ac3"]},
        "1080p.BluRay.x264": {"video": ["h264"], "audio": ["aac"]},
        "1080p.BluRay.DTS.x264": {"video": ["h264"], "audio": ["dts"]},
        "720p.WEB-DL.AAC2.0.H.264": {"video": ["h264"], "audio": ["aac"], "subtitle": ["subrip"]},
    }


def test_every_demo_movie_and_show_out_today_has_releases():
    catalog = DemoCatalog.load()
    movies = [t for t in catalog.titles if t.kind == "movie"]
    shows = [t for t in catalog.titles if t.kind == "show"]
    assert len(movies) > 150 and len(shows) > 60
    for title in catalog.titles:
        query = {"t": "movie" if title.kind == "movie" else "tvsearch", "q": title.title}
        assert catalog.releases(query), title.title


def test_releases_are_made_only_when_listed_and_the_seeded_set_is_bounded(demo, monkeypatch):
    assert not any(name.startswith("Fight.Club.") for name in demo.swarm.offers)
    monkeypatch.setattr(demo_indexer, "MAX_SEEDED", 4)
    fight_club = [item.title for item in feed(demo, t="search", q="Fight+Club+1999")]
    assert list(demo.swarm.offers) == fight_club  # the four just listed; older ones were dropped
    offer = demo.swarm.offers[fight_club[0]]
    assert offer.folder.exists()
    pulp_fiction = [item.title for item in feed(demo, t="search", q="Pulp+Fiction+1994")]
    assert list(demo.swarm.offers) == pulp_fiction
    assert not offer.folder.exists() and demo.swarm.by_infohash(offer.infohash) is None
    # A dropped release's .torrent link (from a cached search) seeds it again.
    with urllib.request.urlopen(f"{demo.origin}/download/{offer.infohash}.torrent", timeout=15) as response:
        assert response.read() == offer.torrent
    assert demo.swarm.by_infohash(offer.infohash) is not None and offer.folder.exists()
    assert fight_club[0] in [item.title for item in feed(demo, t="search", q="Fight+Club+1999")]  # listed again


def test_a_search_before_the_first_clips_are_made_answers_an_empty_feed_in_time(tmp_path, monkeypatch):
    monkeypatch.setattr(demo_indexer, "CLIP_WAIT", 0.3)
    indexer = demo_indexer.DemoIndexer(tmp_path / "links", media=tmp_path / "no-clips-yet").start()
    try:
        began = time.monotonic()
        assert feed(indexer, t="movie", imdbid=MATRIX_IMDB) == []
        assert time.monotonic() - began < 3
        assert indexer.swarm.offers == {}
    finally:
        indexer.stop()


def test_a_clip_is_made_once_per_recipe_and_stale_recipes_are_pruned(tmp_path):
    tiny = demo_media.Clip("tiny.mp4", 2, demo_media.H264_DEMO, demo_media.AAC_DEMO, size="160x90")
    made = demo_media.clip_file(tiny, tmp_path)
    stamp = made.stat().st_mtime_ns
    assert demo_media.clip_file(tiny, tmp_path) == made and made.stat().st_mtime_ns == stamp  # reused
    assert [p.name for p in made.parent.iterdir()] == ["tiny.mp4"]  # no partial file left behind
    assert codecs(made) == {"video": ["h264"], "audio": ["aac"]}
    longer = demo_media.Clip("tiny.mp4", 3, demo_media.H264_DEMO, demo_media.AAC_DEMO, size="160x90")
    assert longer.key() != tiny.key()
    assert demo_media.prune(tmp_path) == [tiny.key()]  # not a recipe of the demo set
    assert not made.exists()


@pytest.fixture
def world(client, make_user, settings_env):
    built = make_world(client, make_user, settings_env)
    settings_env(SEEN_DOWNLOAD_ALLOW_PRIVATE="true")  # the demo peer, its tracker and the indexer are on 127.0.0.1
    return built


@pytest.fixture
def stack(world, tmp_path):
    from app import app

    root = tmp_path / "library"
    root.mkdir()
    worker = WorkerProcess(tmp_path / "staging", tmp_path / "worker.log", LIBRARY_ROOTS=str(root),
                           LIBRARY_SCAN_INTERVAL="60", LIBRARY_SETTLE_SECONDS="0").start()
    yield Driver(app), worker
    worker.stop(signal.SIGTERM, 30)


def test_a_pick_of_a_demo_movie_downloads_through_the_worker_and_streams(world, stack, demo):
    driver, worker = stack
    with db.connection() as conn:  # the demo catalog's row, as `make dev` loads it
        movie_id = Catalog(conn).movie("Inception", runtime_minutes=148, release_date=date(2010, 7, 16),
                                       tmdb_id=INCEPTION_TMDB)
    register_indexer(world.client, world.admin.headers, demo, "Demo indexer", apiKey="unused")  # (it takes none)
    status, found = world.user("GET", f"/api/v1/sources?mediaId={movie_id}")
    assert status == 200, found
    names = [c["name"] for c in found["candidates"]]
    assert len(names) == 4 and all(n.startswith("Inception.2010.") for n in names), names

    status, got = world.user("POST", "/api/v1/picks", {"mediaId": movie_id})
    assert status == 201, got
    job_id, picked = got["job"]["id"], got["pick"]["name"]
    driver.until(lambda: world.user("GET", f"/api/v1/downloads/{job_id}")[1]["status"] == "completed", 120,
                 f"{picked} downloaded\n{worker.output()[-3000:]}")
    items = driver.until(lambda: [i for i in world.user("GET", "/api/v1/library?pageSize=100")[1]["items"]
                                  if i["sourceJobId"] == job_id and i["matchState"] == "matched"], 60,
                         f"{picked} filed\n{worker.output()[-3000:]}")
    [item] = items
    assert item["fileName"].startswith(picked + ".") and item["media"]["id"] == movie_id
    [source] = files_of(demo, got["pick"]["infohash"])
    status, stream = world.user("GET", f"/api/v1/library/{item['id']}/stream")
    assert status == 200, stream
    ranged = httpx.get(stream["url"], headers={"Range": "bytes=0-1023"}, timeout=10)
    assert ranged.status_code == 206 and len(ranged.content) == 1024
    if stream["kind"] == "original":
        assert ranged.content == source.read_bytes()[:1024]
    print(f"\ndemo pick: {picked} ({source.stat().st_size / 1048576:.1f} MiB) -> {stream['kind']}")
