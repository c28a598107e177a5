"""Streaming log fields (issue 37, item 5): a Play names its playback session (``session=<uuid>`` on the API's and
the worker's stream URLs); every stream line then carries ``sessionId``, ``pickId``, ``infohash``, ``fileIndex``
and the job where known, never a magnet link. A malformed session is refused (422 / 400) and never logged; the
parameter is outside what the URLs sign, so appending it breaks no signature."""

from __future__ import annotations

import json
import socket
import threading
import uuid
from concurrent.futures import ThreadPoolExecutor
from types import SimpleNamespace

import httpx
import pytest

from chalicelib import streamtoken
from chalicelib.logs import worker_logger
from embedded.fakes.torznab import FakeRelease
from tests.integration.picks_support import make_world
from tests.integration.sources_support import fake_indexers

GOOD = "Arrival.2001.1080p.WEB-DL.DDP5.1.H.264-NTb"  # the catalog factory's year
HASH = "c12fe1c06bba254a9dc9f519b335aa7c1367a88a"
MAGNET = f"magnet:?xt=urn:btih:{HASH}&dn=Arrival&tr=udp%3A%2F%2Ftracker.example%3A6969"
SECRET = "stream-secret-of-this-test-0123456789abcdef"
EVIL = "evil-session-value"


@pytest.fixture
def world(client, make_user, settings_env):
    return make_world(client, make_user, settings_env)


@pytest.fixture
def fake_indexer():
    yield from fake_indexers()


def _stream_lines(caplog, logger: str) -> list[dict]:
    return [vars(r) for r in caplog.records if r.name == logger and str(getattr(r, "action", "")).startswith("stream")]


def _everything_logged(caplog) -> str:
    return "\n".join(r.getMessage() + json.dumps({k: str(v) for k, v in vars(r).items()}) for r in caplog.records)


def test_a_play_with_a_session_logs_it_with_the_pick_and_the_infohash_never_the_magnet(world, fake_indexer, caplog):
    world.indexer(fake_indexer([FakeRelease(GOOD, size=5_000_000_000, seeders=150, leechers=10)]))
    movie = world.movie("Arrival", runtime=116)
    status, got = world.user("POST", "/api/v1/picks", {"mediaId": movie})  # Get
    assert status in (200, 201), got
    job_id = got["job"]["id"]
    [pick] = world.sql("SELECT id, infohash FROM picks WHERE job_id = %s", job_id)
    session = uuid.uuid4()
    with caplog.at_level("INFO", logger="seen-api"):
        status, waiting = world.user("GET", f"/api/v1/downloads/{job_id}/stream?session={session}")  # Play
    assert status == 202, waiting  # no worker runs it: the answer waits for the files
    lines = _stream_lines(caplog, "seen-api")
    assert {line["action"] for line in lines} == {"stream_requested", "stream_waiting"}
    for line in lines:
        assert (line["sessionId"], line["pickId"], line["infohash"], line["job_id"]) == (
            str(session), str(pick["id"]), pick["infohash"], job_id), line
    assert all("fileIndex" in line for line in lines if line["action"] == "stream_requested")
    assert "magnet:" not in _everything_logged(caplog)


def test_a_play_without_a_session_logs_the_rest(world, fake_indexer, caplog):
    world.indexer(fake_indexer([FakeRelease(GOOD, size=5_000_000_000, seeders=150, leechers=10)]))
    status, got = world.user("POST", "/api/v1/picks", {"mediaId": world.movie("Arrival", runtime=116)})
    assert status in (200, 201), got
    with caplog.at_level("INFO", logger="seen-api"):
        assert world.user("GET", f"/api/v1/downloads/{got['job']['id']}/stream")[0] == 202
    lines = _stream_lines(caplog, "seen-api")
    assert lines and all("sessionId" not in line and line["infohash"] and line["pickId"] for line in lines)


@pytest.mark.parametrize("path", ["/api/v1/downloads/{id}/stream", "/api/v1/library/{id}/stream",
                                  "/api/v1/library/{id}/hls/hls.m3u8?exp=1&sig=x"])
def test_the_apis_stream_urls_take_a_uuid_session_and_refuse_anything_else_unlogged(world, caplog, path):
    url = path.format(id=uuid.uuid4())
    join = "&" if "?" in url else "?"
    with caplog.at_level("INFO"):
        status, refused = world.user("GET", f"{url}{join}session={EVIL}")
        accepted = world.user("GET", f"{url}{join}session={uuid.uuid4()}")[0]
    assert status == 422 and "session" in refused["error"]["fields"], refused
    assert accepted in (403, 404)  # on to the URL's own checks: no such item or job, or the signature
    assert EVIL not in _everything_logged(caplog)


# ------------------------------------------------------------------ the worker's Range server


@pytest.fixture
def worker_stream(tmp_path):
    """The worker's Range server on a free port with one magnet job whose file is complete in staging."""
    from chalicelib.messages import DownloadStart
    from worker.engines.base import JobSpec, PayloadFile
    from worker.jobs import ActiveJob
    from worker.stream.app import build
    from worker.stream.server import StreamServer
    from worker.stream.waits import Waits

    job_id = str(uuid.uuid4())
    data = tmp_path / "Arrival.mkv"
    data.write_bytes(bytes(range(256)) * 64)
    spec = JobSpec(job_id=job_id, attempt=1, source_type="magnet", source=MAGNET, torrent=None, workdir=tmp_path)
    job = ActiveJob(command=DownloadStart(job_id=job_id, attempt=1, source_type="magnet", source=MAGNET), spec=spec,
                    engine=None, phase="uploading", payload=[PayloadFile(0, "Arrival.mkv", data, data.stat().st_size)])
    ctx = SimpleNamespace(lock=threading.RLock(), active_jobs={job_id: job}, store=None, logger=worker_logger("INFO"))
    pool = ThreadPoolExecutor(2)
    running = StreamServer(build(ctx, SECRET, Waits(2, 4, 8), pool, 1.0), socket.create_server(("127.0.0.1", 0)))
    running.start()
    yield f"http://127.0.0.1:{running.port}", job_id, data.read_bytes()
    running.stop()
    pool.shutdown()


def test_the_workers_stream_lines_carry_the_session_the_job_the_file_and_the_infohash(worker_stream, caplog):
    base, job_id, content = worker_stream
    session = uuid.uuid4()
    signed = streamtoken.url(SECRET, base, job_id, 0, 600, user_id="someone")
    with caplog.at_level("DEBUG", logger="seen-worker"):
        served = httpx.get(f"{signed}&session={session}", headers={"Range": "bytes=0-99"}, timeout=10)
        missing = httpx.get(f"{streamtoken.url(SECRET, base, job_id, 5, 600)}&session={session}", timeout=10)
    assert served.status_code == 206 and served.content == content[:100]  # the session breaks no signature
    assert missing.status_code == 404
    by_action = {line["action"]: line for line in _stream_lines(caplog, "seen-worker")}
    assert set(by_action) == {"stream_range", "stream_not_served"}
    assert {k: by_action["stream_range"][k] for k in ("sessionId", "job_id", "fileIndex", "infohash")} == {
        "sessionId": str(session), "job_id": job_id, "fileIndex": 0, "infohash": HASH}
    assert (by_action["stream_not_served"]["sessionId"], by_action["stream_not_served"]["fileIndex"]) == (
        str(session), 5)
    assert "magnet:" not in _everything_logged(caplog)


def test_the_worker_refuses_a_malformed_session_unlogged_and_still_checks_the_signature(worker_stream, caplog):
    base, job_id, _ = worker_stream
    signed = streamtoken.url(SECRET, base, job_id, 0, 600)
    with caplog.at_level("DEBUG", logger="seen-worker"):
        refused = httpx.get(f"{signed}&session={EVIL}", timeout=10)
        forged = httpx.get(f"{signed.replace('sig=', 'sig=0')}&session={uuid.uuid4()}", timeout=10)
        plain = httpx.get(signed, headers={"Range": "bytes=0-0"}, timeout=10)
    assert (refused.status_code, refused.json()["error"]["code"]) == (400, "invalid_session")
    assert forged.status_code == 403
    assert plain.status_code == 206  # without a session, as before
    assert EVIL not in _everything_logged(caplog)


def test_the_progressive_url_hands_the_session_on_to_the_worker_and_still_verifies(client, make_user, aws, caplog):
    from chalicelib.config import get_settings
    from tests.integration.downloads_support import body, submit
    from tests.integration.test_stream_waiting import MIB, _downloading_with

    _, headers = make_user()
    job_id = body(submit(client, headers, "magnet", f"magnet:?xt=urn:btih:{'c' * 40}&dn=Film"))["id"]
    _downloading_with(job_id, contiguous=4 * MIB)
    session = uuid.uuid4()
    with caplog.at_level("INFO", logger="seen-api"):
        playing = client.http.get(f"/api/v1/downloads/{job_id}/stream?session={session}", headers=headers)
    assert playing.status_code == 200, playing.body
    query = httpx.URL(json.loads(playing.body)["url"]).params
    assert query["session"] == str(session)
    streamtoken.verify(get_settings().stream.secret, job_id, 0, query["exp"], query["sig"], user=query["u"])
    [answered] = [line for line in _stream_lines(caplog, "seen-api") if line["action"] == "stream_answered"]
    assert (answered["sessionId"], answered["infohash"], answered["fileIndex"], answered["mode"]) == (
        str(session), "c" * 40, 0, "progressive")
    assert "pickId" not in answered  # submitted by hand, not picked


def test_every_answer_of_the_workers_stream_server_forbids_sniffing_and_running_it(worker_stream):
    base, job_id, _ = worker_stream
    signed = streamtoken.url(SECRET, base, job_id, 0, 600)
    answers = [httpx.get(signed, headers={"Range": "bytes=0-9"}, timeout=10),  # media
               httpx.get(streamtoken.url(SECRET, base, job_id, 5, 600), timeout=10),  # no such file
               httpx.get(signed.replace("sig=", "sig=0"), timeout=10)]  # forged
    assert [answer.status_code for answer in answers] == [206, 404, 403]
    for answer in answers:
        assert answer.headers["X-Content-Type-Options"] == "nosniff"
        assert answer.headers["Content-Security-Policy"] == "default-src 'none'; sandbox; frame-ancestors 'none'"

