"""End to end, issue 19's loop: wanted -> search -> pick -> download -> scan -> playable.

A fake Torznab indexer (real HTTP, real Torznab XML) offers releases whose torrents a real libtorrent peer
seeds on 127.0.0.1; the real worker process (``python -m worker``) downloads the picked one, stores it and
scans it; its events reach Postgres through the app's ``worker_events`` handler. Each downloaded file is
filed by the job's link to the show (no title guessing), the wanted episodes become done, and the episode
streams from the bucket with HTTP Range.
"""

from __future__ import annotations

import signal

import httpx
import pytest
from library_support import media_cache, place

from embedded.testworker import Driver, WorkerProcess
from tests.integration.picks_support import make_world
from tests.integration.sources_support import fake_indexers

pytestmark = pytest.mark.peers  # real BitTorrent peers on loopback

SHOW = "Severance"


@pytest.fixture(scope="module")
def media(tmp_path_factory):
    return media_cache(tmp_path_factory.mktemp("get-media"))


@pytest.fixture
def world(client, make_user, settings_env):
    built = make_world(client, make_user, settings_env)
    settings_env(SEEN_DOWNLOAD_ALLOW_PRIVATE="true")  # the seeder, its tracker and the indexer are on 127.0.0.1
    return built


@pytest.fixture
def fake_indexer():
    yield from fake_indexers()


@pytest.fixture
def stack(world, tmp_path):
    from app import app

    root = tmp_path / "library"
    root.mkdir()
    worker = WorkerProcess(tmp_path / "staging", tmp_path / "worker.log", LIBRARY_ROOTS=str(root),
                           LIBRARY_SCAN_INTERVAL="60", LIBRARY_SETTLE_SECONDS="0").start()
    yield Driver(app), worker
    worker.stop(signal.SIGTERM, 30)


@pytest.fixture
def show(world):
    """Severance, season 1 with two aired episodes (45 minutes each), wanted as a whole show."""
    show_id, episodes = world.show(SHOW, {1: 2}, runtime=45)
    status, body = world.user("POST", "/api/v1/wanted", {"mediaId": show_id})
    assert status == 201 and body["added"] == 2
    return show_id, episodes


def library_of_job(world, job_id: str) -> dict[str, dict]:
    status, page = world.user("GET", "/api/v1/library?pageSize=100")
    assert status == 200
    return {i["fileName"]: i for i in page["items"] if i["sourceJobId"] == job_id}


def wanted_group(world, show_id: int) -> dict:
    [group] = [g for g in world.user("GET", "/api/v1/wanted")[1]["items"] if g["mediaId"] == show_id]
    return group


def assert_streams(world, item: dict, source) -> None:
    status, stream = world.user("GET", f"/api/v1/library/{item['id']}/stream")
    assert status == 200, stream
    ranged = httpx.get(stream["url"], headers={"Range": "bytes=0-1023"}, timeout=10)
    assert (ranged.status_code, len(ranged.content), stream["playable"]) == (206, 1024, True)
    if stream["kind"] == "original":
        assert ranged.content == source.read_bytes()[:1024]
    else:  # a Matroska file plays as its MP4 remux (stream copy)
        assert (stream["kind"], ranged.content[4:8]) == ("mp4_remux", b"ftyp")


def wait_filed(stack, world, job_id: str, names: list[str]) -> dict[str, dict]:
    driver, worker = stack
    return driver.until(lambda: (items := library_of_job(world, job_id)) and all(
        n in items and items[n]["matchState"] == "matched" for n in names) and items, 180,
        f"{names} filed\n{worker.output()[-3000:]}")


def test_a_wanted_episode_is_searched_picked_downloaded_filed_and_playable(world, stack, show, media, fake_indexer,
                                                                          tmp_path):
    show_id, _ = show
    name = f"{SHOW}.S01E01.1080p.WEB-DL.DDP5.1.H.264-NTb"
    seeded = place(media["mkv"], tmp_path / "seed" / f"{name}.mkv")
    fake = fake_indexer()
    fake.seed(seeded, name, size=1_400_000_000, seeders=60, category=5040)
    world.indexer(fake)

    status, found = world.user("GET", f"/api/v1/sources?mediaId={show_id}&season=1&episode=1")
    assert status == 200 and found["candidates"][0]["name"] == name and found["candidates"][0]["rejected"] is None
    status, got = world.user("POST", "/api/v1/picks", {"mediaId": show_id, "season": 1, "episode": 1})
    assert status == 201, got
    job_id = got["job"]["id"]
    assert got["pick"]["infohash"] == found["candidates"][0]["infohash"]

    items = wait_filed(stack, world, job_id, [f"{name}.mkv"])
    item = items[f"{name}.mkv"]
    assert (item["media"]["id"], item["episode"]["season"], item["episode"]["episode"], item["matchConfidence"]) == (
        show_id, 1, 1, 1.0)
    group = wanted_group(world, show_id)
    episodes = {e["episode"]: e for e in group["seasons"][0]["episodes"]}
    assert (episodes[1]["done"], episodes[2]["done"], group["done"], group["wanted"]) == (True, False, 1, 1)
    assert episodes[1]["pickId"] == got["pick"]["id"]
    assert_streams(world, item, seeded)
    stack[0].until(lambda: world.user("GET", f"/api/v1/downloads/{job_id}")[1]["status"] == "completed", 60,
                   "the job completed")
    status, events = world.user("GET", f"/api/v1/downloads/{job_id}/events")
    assert events["items"][0]["message"].startswith(f"submitted; picked: {name} from Fake, score ")


def test_a_season_pack_from_a_torrent_link_serves_every_episode_it_holds(world, stack, show, media, fake_indexer,
                                                                         tmp_path):
    show_id, _ = show
    pack = f"{SHOW}.S01.1080p.WEB-DL.DDP5.1.H.264-NTb"
    files = [f"{SHOW}.S01E0{n}.1080p.WEB-DL.DDP5.1.H.264-NTb.mkv" for n in (1, 2)]
    for n, file in enumerate(files):
        place(media["mkv" if n == 0 else "subbed"], tmp_path / "seed" / pack / file)
    fake = fake_indexer()
    fake.seed(tmp_path / "seed" / pack, pack, as_torrent=True, size=2_800_000_000, seeders=45, category=5040)
    world.indexer(fake)

    status, got = world.user("POST", "/api/v1/picks", {"mediaId": show_id, "season": 1})
    assert status == 201, got
    job_id = got["job"]["id"]
    assert (got["job"]["sourceType"], got["pick"]["season"], got["pick"]["episode"]) == ("torrent", 1, None)

    items = wait_filed(stack, world, job_id, files)
    assert [(items[f]["episode"]["season"], items[f]["episode"]["episode"]) for f in files] == [(1, 1), (1, 2)]
    group = wanted_group(world, show_id)
    assert (group["wanted"], group["done"]) == (0, 2)
    assert [(e["done"], e["pickId"]) for e in group["seasons"][0]["episodes"]] == [(True, got["pick"]["id"])] * 2
    assert_streams(world, items[files[1]], tmp_path / "seed" / pack / files[1])
