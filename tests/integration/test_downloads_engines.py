"""The two download engines on loopback: httpx against a local file server, libtorrent against a local seeder."""

import socket
import time
from pathlib import Path

import libtorrent as lt
import pytest

from chalicelib.config import EngineSettings
from chalicelib.logs import worker_logger
from embedded.testpeers import Faults, FileServer, Seeder, Tracker, make_file, sha256_file
from tests.integration.downloads_support import failure, wait
from worker.engines.base import JobSpec, PermanentError, TransientError
from worker.engines.http import HttpEngine
from worker.engines.torrent import RESUME_FILE, TorrentEngine

MIB = 1024 * 1024
SETTINGS = EngineSettings(listen_host="127.0.0.1", listen_port=0, dht=False, lsd=False, upnp=False, utp=False,
                          allow_private=True, http_retries=2, http_timeout=5)
LOGGER = worker_logger("WARNING")


def spec(tmp_path: Path, job_id: str, source_type: str, source=None, torrent=None) -> JobSpec:
    workdir = tmp_path / "jobs" / job_id
    workdir.mkdir(parents=True, exist_ok=True)
    return JobSpec(job_id, 1, source_type, source, torrent, workdir)


@pytest.fixture
def http(tmp_path):
    (tmp_path / "www").mkdir()
    server = FileServer(tmp_path / "www")
    engine = HttpEngine(SETTINGS, LOGGER)
    yield server, engine
    engine.close()
    server.close()


# --- httpx ---------------------------------------------------------------------


def test_http_download_verifies_length_and_lands_in_data(tmp_path, http):
    server, engine = http
    digest = make_file(tmp_path / "www" / "a b.mkv", 3 * MIB)
    job = spec(tmp_path, "h1", "http", server.url("a b.mkv"))
    engine.add(job)
    done = wait(engine, "h1")
    assert (done.bytes_done, done.bytes_total, done.percent) == (3 * MIB, 3 * MIB, 100.0)
    assert [(f.path, sha256_file(f.local)) for f in engine.files(job)] == [("a b.mkv", digest)]


def test_http_stop_keeps_partial_data_and_a_new_engine_resumes_with_range(tmp_path, http):
    server, engine = http
    digest = make_file(tmp_path / "www" / "f.bin", 4 * MIB)
    server.faults = Faults(rate=2 * MIB)
    job = spec(tmp_path, "h2", "http", server.url("f.bin"))
    engine.add(job)
    wait(engine, "h2", "some")
    time.sleep(0.5)
    engine.remove("h2")  # the drain path
    have = (job.data_dir / "f.bin").stat().st_size
    assert 0 < have < 4 * MIB
    server.faults = Faults()
    again = HttpEngine(SETTINGS, LOGGER)
    again.add(job)
    wait(again, "h2")
    again.close()
    assert sha256_file(job.data_dir / "f.bin") == digest
    assert server.requests[-1].range == f"bytes={have}-"


def test_http_file_changed_on_the_server_restarts_from_zero(tmp_path, http):
    server, engine = http
    make_file(tmp_path / "www" / "f.bin", 2 * MIB, seed=1)
    server.faults = Faults(cut_after=MIB, cuts=1)
    job = spec(tmp_path, "h3", "http", server.url("f.bin"))
    engine.add(job)
    time.sleep(0.3)  # the first response is cut after 1 MiB; the resume waits 0.5 s
    digest = make_file(tmp_path / "www" / "f.bin", 2 * MIB + 5, seed=2)  # new content, new ETag
    wait(engine, "h3")
    assert sha256_file(job.data_dir / "f.bin") == digest


def test_http_already_complete_file_is_confirmed_by_a_416(tmp_path, http):
    server, engine = http
    make_file(tmp_path / "www" / "f.bin", MIB)
    job = spec(tmp_path, "h4", "http", server.url("f.bin"))
    engine.add(job)
    wait(engine, "h4")
    engine.remove("h4")
    again = HttpEngine(SETTINGS, LOGGER)
    again.add(job)
    assert wait(again, "h4").bytes_done == MIB
    again.close()
    assert [r.status for r in server.requests] == [200, 416]


@pytest.mark.parametrize("fault, error, code", [
    (Faults(status=404), PermanentError, "http_404"),
    (Faults(status=410), PermanentError, "http_410"),
    (Faults(status=503), TransientError, "http_503"),
    (Faults(redirects={"/f.bin": "file:///etc/passwd"}), PermanentError, "unsupported_scheme"),
    (Faults(redirects={"/f.bin": "/f.bin"}), PermanentError, "too_many_redirects"),
])
def test_http_failures_are_transient_or_permanent(tmp_path, http, fault, error, code):
    server, engine = http
    make_file(tmp_path / "www" / "f.bin", 1000)
    server.faults = fault
    engine.add(spec(tmp_path, "h5", "http", server.url("f.bin")))
    caught = failure(engine, "h5")
    assert isinstance(caught, error) and caught.code == code


def test_http_redirects_are_followed_through_the_guard(tmp_path, http):
    server, engine = http
    digest = make_file(tmp_path / "www" / "real.bin", 1000)
    server.faults = Faults(redirects={"/alias.bin": server.url("real.bin")})
    job = spec(tmp_path, "h6", "http", server.url("alias.bin"))
    engine.add(job)
    wait(engine, "h6")
    assert sha256_file(job.data_dir / "alias.bin") == digest


def test_http_guard_refuses_a_private_address_unless_allowed(tmp_path, http):
    server, _ = http
    make_file(tmp_path / "www" / "f.bin", 1000)
    strict = HttpEngine(EngineSettings(allow_private=False), LOGGER)
    strict.add(spec(tmp_path, "h7", "http", server.url("f.bin")))
    assert failure(strict, "h7").code == "private_address"
    strict.close()


def test_http_cancel_removes_partial_data(tmp_path, http):
    server, engine = http
    make_file(tmp_path / "www" / "f.bin", 4 * MIB)
    server.faults = Faults(rate=MIB)
    job = spec(tmp_path, "h8", "http", server.url("f.bin"))
    engine.add(job)
    wait(engine, "h8", "some")
    engine.cancel("h8")
    assert not job.data_dir.exists()


def _silent_listener() -> socket.socket:
    """A port that accepts connections and never answers (a server that hangs)."""
    listener = socket.create_server(("127.0.0.1", 0))
    listener.listen(16)
    return listener


@pytest.mark.parametrize("failing", ["404", "reset", "cancel", "timeout", "tls"])
def test_one_jobs_failure_or_cancel_leaves_the_engine_serving_the_next_job(tmp_path, failing):
    """The engine's HTTP client is shared by every job of every user: no one job's end may close it. The failed
    job is cancelled afterwards, as the worker cleans up a failed job."""
    (tmp_path / "www").mkdir()
    server = FileServer(tmp_path / "www")
    hanging = _silent_listener()
    engine = HttpEngine(EngineSettings(allow_private=True, http_retries=0, http_timeout=1), LOGGER)
    try:
        make_file(tmp_path / "www" / "bad.bin", 2 * MIB)
        digest = make_file(tmp_path / "www" / "good.bin", MIB, seed=7)
        url = {"404": server.url("missing.bin"), "reset": server.url("bad.bin"), "cancel": server.url("bad.bin"),
               "timeout": f"http://127.0.0.1:{hanging.getsockname()[1]}/bad.bin",
               "tls": server.url("bad.bin").replace("http://", "https://")}[failing]
        if failing == "reset":
            server.faults = Faults(cut_after=0, cuts=10)
        if failing == "cancel":
            server.faults = Faults(rate=MIB)
        engine.add(spec(tmp_path, "one-user", "http", url))
        if failing == "cancel":
            wait(engine, "one-user", "some")
        else:
            assert isinstance(failure(engine, "one-user"), PermanentError | TransientError)
        engine.cancel("one-user")

        server.faults = Faults()
        other = spec(tmp_path, "another-user", "http", server.url("good.bin"))
        engine.add(other)
        assert wait(engine, "another-user").bytes_done == MIB
        assert [(f.path, sha256_file(f.local)) for f in engine.files(other)] == [("good.bin", digest)]
    finally:
        engine.close()
        hanging.close()
        server.close()


# --- libtorrent ----------------------------------------------------------------


@pytest.fixture
def swarm():
    tracker = Tracker()
    seeder = Seeder(tracker)
    engine = TorrentEngine(SETTINGS, LOGGER)
    yield seeder, engine
    engine.close()
    seeder.close()
    tracker.close()


@pytest.mark.peers
def test_multi_file_torrent_lists_its_files_without_padding(tmp_path, swarm):
    seeder, engine = swarm
    root = tmp_path / "seed" / "Show"
    digests = {name: make_file(root / name, size) for name, size in
               (("e01.mkv", 3 * MIB + 17), ("extras/e02.mkv", MIB + 5), ("show.nfo", 300))}
    seeded = seeder.seed(root)  # a hybrid torrent: v1 pad files between the files
    assert b"attr" in seeded.torrent  # BEP 47 pad files are in it
    job = spec(tmp_path, "t1", "torrent", torrent=seeded.torrent)
    engine.add(job)
    wait(engine, "t1")
    files = engine.files(job)
    assert sorted((f.path, sha256_file(f.local)) for f in files) == sorted(
        (f"Show/{name}", digest) for name, digest in digests.items())


@pytest.mark.peers
def test_torrent_removed_mid_download_resumes_from_its_resume_data(tmp_path, swarm):
    seeder, engine = swarm
    size = 8 * MIB
    path = tmp_path / "seed" / "film.mkv"
    digest = make_file(path, size)
    seeded = seeder.seed(path)
    seeder.set_upload_rate(2 * MIB)
    job = spec(tmp_path, "t2", "magnet", seeded.magnet)
    engine.add(job)
    while engine.status("t2").bytes_done < size // 4:
        time.sleep(0.1)
    engine.remove("t2")  # pause + resume data, as on SIGTERM or a stall
    assert (job.workdir / RESUME_FILE).is_file()
    seeder.set_upload_rate(0)
    again = TorrentEngine(SETTINGS, LOGGER)
    again.add(job)
    wait(again, "t2")
    again.close()
    assert sha256_file(job.data_dir / "film.mkv") == digest
    assert sum(h.status().total_payload_upload for h in seeder.handles) < size * 1.3


@pytest.mark.peers
def test_torrent_cancel_removes_data_and_resume_state(tmp_path, swarm):
    seeder, engine = swarm
    path = tmp_path / "seed" / "film.mkv"
    make_file(path, 4 * MIB)
    seeded = seeder.seed(path)
    seeder.set_upload_rate(MIB)
    job = spec(tmp_path, "t3", "torrent", torrent=seeded.torrent)
    engine.add(job)
    wait(engine, "t3", "some")
    engine.cancel("t3")
    assert not job.data_dir.exists() and not (job.workdir / RESUME_FILE).exists()


@pytest.mark.peers
def test_a_second_job_of_the_same_torrent_waits_and_then_gets_its_own_files(tmp_path, swarm):
    """Two people Get one release: libtorrent would hand the second job the first one's transfer (saving into the
    first job's directory), so the second "finished" with no file on disk and its upload retried for ever."""
    seeder, engine = swarm
    path = tmp_path / "seed" / "film.mkv"
    digest = make_file(path, 2 * MIB)
    seeded = seeder.seed(path)
    first = spec(tmp_path, "first", "magnet", seeded.magnet)
    second = spec(tmp_path, "second", "torrent", torrent=seeded.torrent)  # the same torrent, by its .torrent
    engine.add(first)
    assert engine.holder(None, seeded.torrent) == "first"
    assert engine.holder(seeded.magnet, None) == "first"
    with pytest.raises(TransientError) as caught:
        engine.add(second)
    assert caught.value.code == "same_torrent"
    wait(engine, "first")
    engine.remove("first")  # stored and gone, as after its upload
    assert engine.holder(seeded.magnet, None) is None
    engine.add(second)
    wait(engine, "second")
    [file] = engine.files(second)
    assert file.local.is_relative_to(second.data_dir) and sha256_file(file.local) == digest
    assert sha256_file(first.data_dir / "film.mkv") == digest  # the first job's copy was left alone


@pytest.mark.peers
def test_every_job_the_worker_runs_downloads_at_once(tmp_path, swarm):
    """The worker's slots (DOWNLOAD_MAX_ACTIVE) decide how many jobs run, not libtorrent's own queue, which
    paused all but 3 downloads and only looked again every 30 s."""
    seeder, engine = swarm
    seeder.set_upload_rate(256 * 1024)
    jobs = []
    for n in range(6):
        path = tmp_path / "seed" / f"f{n}" / f"Film.{n}.mkv"
        make_file(path, 2 * MIB, seed=n + 1)
        jobs.append(spec(tmp_path, f"many{n}", "torrent", torrent=seeder.seed(path).torrent))
        engine.add(jobs[-1])
    for job in jobs:
        wait(engine, job.job_id, "some", timeout=15)


@pytest.mark.peers
def test_a_magnet_starts_at_once_and_its_playable_ends_come_first_as_its_metadata_lands(tmp_path, swarm):
    """Nobody asks the engine for progress here (the monitor's look): its own alert thread gives the largest
    file's start and end their deadlines as soon as the metadata is in, before libtorrent's rarest-first requests
    fill the peer's queue (a player's first bytes waited seconds behind them). And the torrent is started when
    added, not paused until libtorrent's queue starts it on its next tick."""
    seeder, engine = swarm
    path = tmp_path / "seed" / "film.mkv"
    make_file(path, 8 * MIB)
    seeded = seeder.seed(path)
    seeder.set_upload_rate(64 * 1024)  # a piece takes a while: its raised priority is seen before it is done
    engine.add(spec(tmp_path, "t6", "magnet", seeded.magnet))
    handle = engine.session.get_torrents()[0]
    assert not handle.flags() & (lt.torrent_flags.paused | lt.torrent_flags.auto_managed)
    deadline = time.monotonic() + 15
    while handle.torrent_file() is None or handle.piece_priority(0) != 7:
        assert time.monotonic() < deadline, "the file's start got no deadline while nothing polled the engine"
        time.sleep(0.02)
    last = handle.torrent_file().num_pieces() - 1
    assert handle.piece_priority(last) == 7  # its end (an MKV's cues, an MP4's moov) with it
    assert handle.piece_priority(last // 2) == 4  # the middle as any other piece


@pytest.mark.peers
def test_bad_torrent_input_fails_permanently(tmp_path, swarm):
    _, engine = swarm
    with pytest.raises(PermanentError) as caught:
        engine.add(spec(tmp_path, "t4", "torrent", torrent=b"definitely not bencode"))
    assert caught.value.code == "invalid_torrent"
    with pytest.raises(PermanentError) as caught:
        engine.add(spec(tmp_path, "t5", "magnet", "magnet:?xt=urn:btih:nothex"))
    assert caught.value.code == "invalid_magnet"


def test_session_settings_follow_the_worker_settings():
    from worker.engines.torrent import session_settings

    loopback = session_settings(SETTINGS)
    assert (loopback["enable_dht"], loopback["enable_lsd"], loopback["enable_upnp"],
            loopback["enable_outgoing_utp"], loopback["enable_incoming_utp"]) == (False,) * 5
    home = session_settings(EngineSettings())
    assert home["enable_dht"] and home["enable_outgoing_utp"] and home["listen_interfaces"] == "0.0.0.0:6881"
    assert lt.session(loopback).get_settings()["enable_incoming_utp"] is False


def test_every_worker_module_loads_without_the_postgres_layer():
    import subprocess
    import sys

    from embedded.services import ROOT

    modules = sorted(".".join(path.relative_to(ROOT).with_suffix("").parts)
                     for path in Path(ROOT, "worker").rglob("*.py") if path.name != "__main__.py")
    code = (f"import importlib, sys; [importlib.import_module(m) for m in {modules!r}]; "
            "bad = [m for m in sys.modules if m.startswith(('psycopg', 'chalicelib.db', 'aiosql', 'yoyo'))]; "
            "print(bad); sys.exit(1 if bad else 0)")
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "worker.engines.torrent" in modules and "worker.dispatcher" in modules
