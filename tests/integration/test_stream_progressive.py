"""Play while downloading, end to end: API -> telemetry -> the real worker process -> its Range server.

A throttled libtorrent seeder keeps the download slow enough to read the
start, the end and a seek at 80% of a file before it finishes; every byte
read through the worker's stream server is compared to the source file.
"""

import json
import signal
import socket
import time
from urllib.parse import urlsplit

import httpx
import pytest
from downloads_support import body, loopback_engine, submit, wait

from embedded.testpeers import Seeder, Tracker, make_file
from embedded.testworker import Driver, WorkerProcess
from tests.edge_support import edge

pytestmark = pytest.mark.peers  # real BitTorrent peers on loopback

MIB = 1024 * 1024
SLOW = 2 * MIB  # bytes/s the seeder sends while the test reads


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Stream:
    def __init__(self, client, headers, tmp_path):
        from app import app

        self.client, self.headers, self.tmp = client, headers, tmp_path
        self.driver = Driver(app)
        self.tracker = Tracker()
        self.seeder = Seeder(self.tracker, upload_rate=SLOW)
        self.port = free_port()
        self.workers: list[WorkerProcess] = []

    def worker(self) -> WorkerProcess:
        process = WorkerProcess(self.tmp / "staging", self.tmp / f"worker-{len(self.workers)}.log",
                                SEEN_STREAM_PORT=str(self.port), DOWNLOAD_STALL_TIMEOUT="60").start()
        self.workers.append(process)
        return process

    def logs(self) -> str:
        return "\n".join(w.output() for w in self.workers)[-4000:]

    def submit_magnet(self, magnet: str) -> str:
        response = submit(self.client, self.headers, "magnet", magnet)
        assert response.status_code == 201, response.body
        return body(response)["id"]

    def ask(self, job_id: str, file: int | None = None):
        query = "" if file is None else f"?file={file}"
        return self.client.http.get(f"/api/v1/downloads/{job_id}/stream{query}", headers=self.headers)

    def until_playable(self, job_id: str, mode: str = "progressive", timeout: float = 60) -> dict:
        def check():
            response = self.ask(job_id)
            return response.status_code == 200 and body(response)["mode"] == mode and body(response)
        return self.driver.until(check, timeout, f"{mode} stream\n{self.logs()}")

    def job(self, job_id: str) -> dict:
        return body(self.client.http.get(f"/api/v1/downloads/{job_id}", headers=self.headers))

    def get(self, url: str, range_: str | None = None) -> httpx.Response:
        headers = {"Range": range_} if range_ else {}
        return httpx.get(f"http://127.0.0.1:{self.port}{url}", headers=headers, timeout=30)

    def close(self) -> None:
        for process in self.workers:
            process.stop(signal.SIGKILL if process.proc and process.proc.poll() is None else signal.SIGTERM, 10)
        self.seeder.close()
        self.tracker.close()


@pytest.fixture
def stream(client, make_user, settings_env, tmp_path):
    settings_env(SEEN_DOWNLOAD_ALLOW_PRIVATE="true", DOWNLOAD_RETRY_BACKOFF="0", DOWNLOAD_RESEND_AFTER="0")
    built = Stream(client, make_user()[1], tmp_path)
    yield built
    built.close()


def season_pack(root, episode_size: int):
    """Two episodes and an English sidecar for the first; returns (seed dir, {name: bytes})."""
    folder = root / "seed" / "Show.S01.1080p"
    names = {"Show.S01E01.mkv": episode_size, "Show.S01E02.mkv": 3 * MIB}
    for seed, (name, size) in enumerate(names.items(), start=1):
        make_file(folder / name, size, seed=seed)
    (folder / "Show.S01E01.en.srt").write_text("1\n00:00:01,000 --> 00:00:02,500\nHello there\n")
    return folder, {name: (folder / name).read_bytes() for name in names}


def link_to_a_season(job_id: str) -> int:
    from chalicelib import db

    with db.connection() as conn:
        show = conn.execute("INSERT INTO media_items (media_type, title) VALUES ('show', 'Show') RETURNING id"
                            ).fetchone()["id"]
        conn.execute("UPDATE download_jobs SET media_id = %s, season = 1 WHERE id = %s", (show, job_id))
    return show


def ranged(response: httpx.Response) -> tuple[int, int, int]:
    assert response.status_code == 206, (response.status_code, response.text[:300])
    unit, _, spec = response.headers["content-range"].partition(" ")
    span, _, total = spec.partition("/")
    first, _, last = span.partition("-")
    assert unit == "bytes" and int(response.headers["content-length"]) == int(last) - int(first) + 1
    return int(first), int(last), int(total)


def test_plays_while_downloading_then_from_the_bucket(stream):
    folder, data = season_pack(stream.tmp, 24 * MIB)
    episode = data["Show.S01E01.mkv"]
    seeded = stream.seeder.seed(folder)
    job_id = stream.submit_magnet(seeded.magnet)
    early = stream.ask(job_id)  # queued, nothing on any worker yet
    assert early.status_code == 202, early.body  # waiting is not an error (no console error per poll)
    assert body(early)["awaiting"] in ("files", "download") and body(early)["retryAfter"] >= 1
    assert int(early.headers["Retry-After"]) == body(early)["retryAfter"]
    show = link_to_a_season(job_id)  # as Get does for a season pack it picked
    stream.worker()
    playing = stream.until_playable(job_id)
    # what the player saves progress against: the job's title, the file's own season and episode
    assert (playing["mediaId"], playing["season"], playing["episode"]) == (show, 1, 1)
    paths = {f["index"]: f["path"] for f in playing["files"]}
    assert sorted(paths.values()) == [f"Show.S01.1080p/Show.S01E0{n}.mkv" for n in (1, 2)]
    assert paths[playing["fileIndex"]].endswith("S01E01.mkv") and playing["size"] == len(episode)
    assert playing["mimeType"] == "video/x-matroska"
    assert playing["next"]["path"].endswith("S01E02.mkv") and playing["next"]["episode"] == 2
    url = playing["url"]
    assert urlsplit(url).path == f"/stream/{job_id}/{playing['fileIndex']}"

    first, last, total = ranged(start := stream.get(url, "bytes=0-"))
    assert (first, total) == (0, len(episode)) and start.content == episode[: last + 1]
    assert start.headers["accept-ranges"] == "bytes" and start.headers["content-type"] == "video/x-matroska"
    first, last, _ = ranged(tail := stream.get(url, "bytes=-65536"))
    assert (first, last) == (len(episode) - 65536, len(episode) - 1) and tail.content == episode[-65536:]
    seek = int(len(episode) * 0.8)
    first, last, _ = ranged(middle := stream.get(url, f"bytes={seek}-"))
    assert first == seek and middle.content == episode[seek: last + 1]
    via_gateway = through_gateway(stream, url, f"bytes={seek}-")  # what the browser does under make dev
    first, last, _ = ranged(via_gateway)
    assert first == seek and via_gateway.content == episode[seek: last + 1]
    assert stream.job(job_id)["status"] != "completed"  # all of it read before the download finished
    assert stream.job(job_id)["bytesDone"] < sum(len(d) for d in data.values())

    head = httpx.head(f"http://127.0.0.1:{stream.port}{url}", timeout=30)
    assert head.status_code == 200 and int(head.headers["content-length"]) == len(episode) and not head.content
    beyond = stream.get(url, f"bytes={len(episode)}-")
    assert beyond.status_code == 416 and beyond.headers["content-range"] == f"bytes */{len(episode)}"

    subtitle = next(s for s in playing["subtitles"] if s["language"] == "en")
    vtt = stream.get(subtitle["url"])
    assert vtt.status_code == 200 and vtt.headers["content-type"].startswith("text/vtt")
    assert vtt.text.startswith("WEBVTT") and "Hello there" in vtt.text

    tampered = url.replace("sig=", "sig=0")
    assert stream.get(tampered, "bytes=0-").status_code == 403
    assert stream.get(url.replace(f"/{playing['fileIndex']}?", "/99?"), "bytes=0-").status_code == 403
    from chalicelib import streamtoken

    no_such_file = stream.get(streamtoken.url(stream_secret(), "", job_id, 99, ttl=60), "bytes=0-")
    assert no_such_file.status_code == 404 and no_such_file.json()["error"]["code"] == "not_found"
    expired = streamtoken.url(stream_secret(), "", job_id, playing["fileIndex"], ttl=-10)
    refused = stream.get(expired, "bytes=0-")
    assert refused.status_code == 403 and refused.json()["error"]["code"] == "invalid_token"

    stream.seeder.set_upload_rate(0)
    stored = stream.until_playable(job_id, "stored")
    assert stored["fileIndex"] == playing["fileIndex"] and stored["url"].startswith("http")
    assert httpx.get(stored["url"], headers={"Range": "bytes=0-1023"}, timeout=30).content == episode[:1024]
    stream.driver.until(lambda: stream.get(url, "bytes=0-").status_code == 410, 30, "410 once the job left")


def through_gateway(stream, url: str, range_: str) -> httpx.Response:
    """The request as the browser makes it under `make dev`: its edge sends /stream/ to the worker."""
    with edge(free_port(), stream.port, stream.tmp / "edge.log") as (gateway, _):
        return httpx.get(gateway + url, headers={"Range": range_}, timeout=30)


def stream_secret() -> str:
    from chalicelib.config import get_settings

    return get_settings().stream.secret


def test_the_same_url_serves_again_after_the_worker_was_killed_and_the_job_completes(stream):
    source = stream.tmp / "seed" / "Film.2024.mkv"
    make_file(source, 20 * MIB)
    film = source.read_bytes()
    seeded = stream.seeder.seed(source)
    job_id = stream.submit_magnet(seeded.magnet)
    first_worker = stream.worker()
    url = stream.until_playable(job_id)["url"]
    assert stream.get(url, "bytes=0-").content[:4096] == film[:4096]
    first_worker.stop(signal.SIGKILL)
    with pytest.raises(httpx.TransportError):
        stream.get(url, "bytes=0-")
    stream.worker()
    again = stream.driver.until(lambda: _try(stream, url, "bytes=1048576-"), 60, f"served again\n{stream.logs()}")
    first, last, _ = ranged(again)
    assert first == MIB and again.content == film[MIB: last + 1]
    stream.seeder.set_upload_rate(0)
    stream.driver.until(lambda: stream.job(job_id)["status"] == "completed", 90, f"completed\n{stream.logs()}",
                        reconcile=True)
    assert stream.until_playable(job_id, "stored")["size"] == len(film)


def _try(stream, url, range_):
    try:
        response = stream.get(url, range_)
    except httpx.TransportError:
        return None
    return response if response.status_code == 206 else None


def test_unknown_foreign_and_ended_jobs_and_a_bad_file_index_are_refused(stream, make_user):
    missing = stream.ask("6f1c2a9e-0000-4000-8000-000000000001")
    assert missing.status_code == 404 and body(missing)["error"]["code"] == "download_not_found"
    job_id = stream.submit_magnet("magnet:?xt=urn:btih:" + "d" * 40)
    other = stream.client.http.get(f"/api/v1/downloads/{job_id}/stream", headers=make_user()[1])
    assert other.status_code == 404
    bad = stream.ask(job_id, file=-1)
    assert bad.status_code == 422, bad.body
    waiting = stream.ask(job_id)
    assert waiting.status_code == 202 and json.loads(waiting.body)["awaiting"] in ("files", "download")
    cancelled = stream.client.http.delete(f"/api/v1/downloads/{job_id}", headers=stream.headers)
    assert cancelled.status_code == 200, cancelled.body
    ended = stream.ask(job_id)
    assert ended.status_code == 409 and body(ended)["error"]["code"] == "not_streamable"
    assert "Retry-After" not in ended.headers


def test_engine_counts_a_piece_for_readers_only_once_the_file_holds_its_bytes(tmp_path):
    """libtorrent may mark a piece done before writing it; durable() reads it back against its hash."""
    from worker.engines.base import JobSpec

    tracker = Tracker()
    seeder = Seeder(tracker)
    engine = loopback_engine()
    try:
        make_file(tmp_path / "seed" / "clip.mkv", 4 * MIB)
        seeded = seeder.seed(tmp_path / "seed" / "clip.mkv", piece_size=256 * 1024)
        job = JobSpec("durable-1", 1, "torrent", None, seeded.torrent, tmp_path / "job")
        engine.add(job)
        wait(engine, job.job_id)
        assert engine.done_ranges(job.job_id, 0) == [(0, 4 * MIB)]
        path = job.data_dir / "clip.mkv"
        original = path.read_bytes()
        with open(path, "r+b") as data:  # what a block libtorrent has not written yet looks like to a reader
            data.seek(MIB + 5)
            data.write(b"\0" * 16)
        assert engine.done_ranges(job.job_id, 0) == [(0, 4 * MIB)]  # libtorrent still counts the piece
        assert engine.durable(job.job_id, 0, 0, 4 * MIB) == MIB  # readers stop before it
        assert engine.durable(job.job_id, 0, 0, MIB // 2) == MIB // 2
        path.write_bytes(original)  # the write landed
        assert engine.durable(job.job_id, 0, MIB, 4 * MIB) == 4 * MIB
    finally:
        engine.close()
        seeder.close()
        tracker.close()


def test_engine_fetches_a_files_tail_right_after_its_start_even_when_the_window_covers_the_file(tmp_path):
    """A player asking for an episode whose start is already on disk gets a 16 MiB window, which holds the
    whole episode: its tail (where MP4/MKV keep their index, and which the API waits for) must still come
    right after the first pieces, not last in window order. (The pack's largest file, the other episode,
    had the engine's first guess.)"""
    from worker.engines.base import JobSpec

    tracker = Tracker()
    seeder = Seeder(tracker, upload_rate=MIB)
    engine = loopback_engine()
    size = 8 * MIB
    try:
        make_file(tmp_path / "seed" / "Pack" / "Show.S01E01.mkv", size)
        make_file(tmp_path / "seed" / "Pack" / "Show.S01E02.mkv", size + MIB)
        seeded = seeder.seed(tmp_path / "seed" / "Pack", piece_size=64 * 1024)
        job = JobSpec("tail-1", 1, "torrent", None, seeded.torrent, tmp_path / "job")
        engine.add(job)
        [played] = [f.index for f in engine.payload(job.job_id) or [] if f.path.endswith("E01.mkv")]
        deadline = time.monotonic() + 60
        while not (ranges := engine.done_ranges(job.job_id, played)) or ranges[0][0] != 0:
            assert time.monotonic() < deadline, "no first piece"
            engine.status(job.job_id)
            time.sleep(0.05)
        engine.want(job.job_id, played, 0, urgent=True)  # the player's request, once its start is on disk
        while (ranges := engine.done_ranges(job.job_id, played))[-1][1] != size:
            assert time.monotonic() < deadline, f"the tail never came: {ranges}"
            engine.status(job.job_id)
            time.sleep(0.05)
        contiguous = ranges[0][1] if ranges[0][0] == 0 else 0
        assert contiguous < size // 2, f"the tail came only after {contiguous} of {size} bytes: {ranges}"
    finally:
        engine.close()
        seeder.close()
        tracker.close()


def test_a_second_play_request_before_the_file_can_start_keeps_the_start_and_tail_first(tmp_path):
    """The API asks twice for the same start (the largest file by default, then that file by its index), and the
    second ask can land once the first piece is in but the playable start or the tail is not: the window must
    not widen to 16 MiB then, or the start and tail wait behind it (a press of play took 2.3-2.6 s instead of
    0.3-0.6 s). A magnet, as the player's: its first requests went out before any deadline. Judged in bytes:
    how much had arrived when the file could start."""
    from chalicelib.messages import STREAM_START_BYTES, can_start
    from worker.engines.base import JobSpec
    from worker.engines.torrent import TAIL_BYTES

    tracker = Tracker()
    seeder = Seeder(tracker, upload_rate=8 * MIB)
    engine = loopback_engine()
    size = 64 * MIB
    try:
        make_file(tmp_path / "seed" / "Movie.mkv", size)
        seeded = seeder.seed(tmp_path / "seed" / "Movie.mkv")
        job = JobSpec("again-1", 1, "magnet", seeded.magnet, None, tmp_path / "job")
        engine.add(job)  # at the metadata, the engine's own first guess: the largest file's start and tail
        deadline = time.monotonic() + 60
        while not (ranges := engine.done_ranges(job.job_id, 0)) or ranges[0][0] != 0:
            assert time.monotonic() < deadline, "no first piece"
            engine.status(job.job_id)
            time.sleep(0.01)
        engine.want(job.job_id, 0, 0, urgent=True)  # the player's request, its start not playable yet

        def entry() -> dict:
            found = engine.done_ranges(job.job_id, 0)
            return {"size": size, "contiguousBytes": found[0][1] if found and found[0][0] == 0 else 0,
                    "tailReady": bool(found) and found[-1][1] == size}

        while not can_start(entry(), "magnet"):
            assert time.monotonic() < deadline, f"never playable: {engine.done_ranges(job.job_id, 0)}"
            engine.status(job.job_id)
            time.sleep(0.01)
        arrived = engine.status(job.job_id).bytes_done
        needed = STREAM_START_BYTES + TAIL_BYTES
        assert arrived < needed + 4 * MIB, f"{arrived} bytes had arrived when {needed} were enough"
    finally:
        engine.close()
        seeder.close()
        tracker.close()


def test_engine_reports_a_torrent_libtorrent_dropped_as_retryable_and_removes_it_cleanly(tmp_path):
    """A handle libtorrent no longer holds (another job removed the same torrent) stalls the job for a retry
    instead of failing every monitor tick with ``invalid torrent handle used``."""
    from worker.engines.base import JobSpec, TransientError

    tracker = Tracker()
    seeder = Seeder(tracker, upload_rate=MIB)
    engine = loopback_engine()
    try:
        make_file(tmp_path / "seed" / "clip.mkv", 2 * MIB)
        seeded = seeder.seed(tmp_path / "seed" / "clip.mkv", piece_size=64 * 1024)
        job = JobSpec("lost-1", 1, "torrent", None, seeded.torrent, tmp_path / "job")
        engine.add(job)
        engine.status(job.job_id)
        engine.session.remove_torrent(engine._jobs[job.job_id].handle)  # what libtorrent did
        deadline = time.monotonic() + 10
        while engine._jobs[job.job_id].handle.is_valid():  # removal is asynchronous
            assert time.monotonic() < deadline
            time.sleep(0.05)
        with pytest.raises(TransientError) as lost:
            engine.status(job.job_id)
        assert lost.value.code == "torrent_lost" and lost.value.retryable
        engine.remove(job.job_id)  # what the monitor does with a retryable error: no RuntimeError
        engine.add(job)  # the retry
        assert engine.status(job.job_id).phase in ("preparing", "downloading", "finished")
    finally:
        engine.close()
        seeder.close()
        tracker.close()
