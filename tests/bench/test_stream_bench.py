"""Press play on a torrent nothing of which is downloaded yet: first byte at the player, and a seek.

One local libtorrent seeder (uTP off) throttled to ``RATE`` so the file takes
seconds, not a blink, to download. Per round a new job is submitted, the
player's loop is replayed (``GET /downloads/{id}/stream`` every 100 ms until
it answers a progressive URL), then the first range is read through the
worker's stream server: submit -> first video byte. Then a seek to 80%:
request -> first byte. The reference is a bare libtorrent session (the
worker's settings) downloading the whole file from the same seeder at the
same rate. Goals (issue 20): first byte <= 3 s, seek <= 2 s.

The worker polls at the product's default (``EngineSettings.poll_interval``, 3 s), not the 0.25 s every other
test worker uses: the player waits on the worker's telemetry, so a faster poll than users get would measure
a press of play they never see (the monitor hurries a new or just-played job instead: worker.monitor).
"""

from __future__ import annotations

import json
import shutil
import socket
import time

import httpx
import pytest

from chalicelib.config import EngineSettings
from embedded.testpeers import Seeder, Tracker, make_file
from embedded.testworker import Driver, WorkerProcess

from .conftest import bench_size, summarise
from .downloads_support import job_status
from .test_downloads_bench import _bare_libtorrent

SIZE = bench_size(64, 8) * 1024 * 1024
RATE = 8 * 1024 * 1024  # bytes/s from the seeder: a full download takes ~8 s
# Five rounds, not three: the seek's first byte waits behind whatever requests libtorrent already has out to
# the throttled seeder, so one round in a few takes seconds instead of tenths (a median of three runs' medians
# ranged 0.23-1.94 s); with five, one slow round no longer moves the median.
ROUNDS = bench_size(5, 1)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def seeded(tmp_path_factory):
    root = tmp_path_factory.mktemp("stream-bench")
    path = root / "seed" / "Bench.Movie.2024.mkv"
    make_file(path, SIZE)
    tracker = Tracker()
    seeder = Seeder(tracker, upload_rate=RATE)
    yield seeder.seed(path, timeout=300)
    seeder.close()
    tracker.close()
    shutil.rmtree(root, ignore_errors=True)


def _first_byte(url: str, range_: str) -> float:
    started = time.perf_counter()
    with httpx.stream("GET", url, headers={"Range": range_}, timeout=30) as response:
        assert response.status_code == 206, response.status_code
        next(response.iter_bytes(1))
    return time.perf_counter() - started


def _play(client, headers, driver, port: int, magnet: str) -> tuple[float, float]:
    started = time.perf_counter()
    response = client.http.post("/api/v1/downloads", headers=headers,
                                body=json.dumps({"sourceType": "magnet", "source": magnet}))
    job_id = json.loads(response.body)["id"]

    def playable():
        answer = client.http.get(f"/api/v1/downloads/{job_id}/stream", headers=headers)
        return answer.status_code == 200 and json.loads(answer.body)

    stream = driver.until(playable, timeout=120, interval=0.1, what=f"progressive stream of {job_id}")
    url = f"http://127.0.0.1:{port}{stream['url']}"
    first = time.perf_counter() - started + _first_byte(url, "bytes=0-")
    seek = _first_byte(url, f"bytes={int(stream['size'] * 0.8)}-")
    driver.until(lambda: job_status(job_id) in ("completed", "failed"), timeout=300, what=f"bench job {job_id}")
    assert job_status(job_id) == "completed"
    return first, seek


def test_press_play_on_a_torrent_first_byte_and_seek(benchmark, report, seeded, client, make_user, settings_env,
                                                      tmp_path):
    from app import app

    settings_env(SEEN_DOWNLOAD_ALLOW_PRIVATE="true")
    port = _free_port()
    worker = WorkerProcess(tmp_path / "staging", tmp_path / "worker.log", SEEN_STREAM_PORT=str(port),
                           DOWNLOAD_POLL_INTERVAL=str(EngineSettings.poll_interval)).start()
    headers, driver = make_user()[1], Driver(app)
    firsts: list[float] = []
    seeks: list[float] = []
    try:
        def round_() -> None:
            first, seek = _play(client, headers, driver, port, seeded.magnet)
            firsts.append(first)
            seeks.append(seek)
        benchmark.pedantic(round_, rounds=ROUNDS)
    finally:
        worker.stop()
    bare = [_bare_libtorrent(seeded.magnet, tmp_path / f"lt-{i}") for i in range(ROUNDS)]
    info = {"size_mib": SIZE // (1024 * 1024), "seeder_rate_mib_s": RATE // (1024 * 1024), "goal_s": 3.0}
    benchmark.extra_info["first_byte_vs_full_download"] = report.ratio(
        "press play on a torrent: first byte vs full download", summarise(firsts), summarise(bare),
        subject_label="submit -> API progressive URL -> first video byte through the worker's stream server",
        reference_label="bare libtorrent downloading the whole file, same seeder and rate", **info)
    benchmark.extra_info["seek_vs_full_download"] = report.ratio(
        "seek to 80% while downloading: first byte vs full download", summarise(seeks), summarise(bare),
        subject_label="Range request at 80% -> first byte", reference_label="bare libtorrent full download",
        **{**info, "goal_s": 2.0})
    report.figure("press play on a torrent (seconds, median)", first_byte=round(summarise(firsts)["median"], 3),
                  seek_80=round(summarise(seeks)["median"], 3), full_download=round(summarise(bare)["median"], 3),
                  seek_80_rounds=[round(s, 3) for s in seeks])
