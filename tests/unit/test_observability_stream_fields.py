"""Streaming log fields (issue 37, item 5): every line logged while a stream is answered carries the stream's
``sessionId``, ``pickId``, ``infohash``, ``fileIndex`` (and ``job_id``) where known, and no line ever holds a
whole magnet link; the worker reads a job's info hash from its own source and checks a URL's ``session``."""

from __future__ import annotations

import base64
import json
import logging
import threading
import uuid
from types import SimpleNamespace

import pytest

from chalicelib.config import ConfigError
from chalicelib.config.observability import ObservabilitySettings
from chalicelib.logs import add_stream_fields, get_logger, redact_magnets, stream_fields, worker_logger
from worker.stream import fields
from worker.stream.report import follow_request

HASH = "c12fe1c06bba254a9dc9f519b335aa7c1367a88a"
MAGNET = f"magnet:?xt=urn:btih:{HASH}&dn=Arrival.2016.1080p&tr=udp%3A%2F%2Ftracker.example%3A6969&x.pe=10.0.0.2:6881"


def _records(caplog, logger_name: str = "seen-api") -> list[dict]:
    return [vars(r) for r in caplog.records if r.name == logger_name]


def test_a_line_inside_a_stream_block_carries_its_fields_and_one_outside_does_not(caplog):
    session = uuid.uuid4()
    with caplog.at_level("INFO", logger="seen-api"):
        with stream_fields(session_id=session, file_index=None):
            get_logger().info("first", extra={"action": "stream_test"})
            add_stream_fields(infohash=HASH, pick_id="p-1", job_id="j-1", file_index=3)
            get_logger().info("second", extra={"action": "stream_test"})
        get_logger().info("after", extra={"action": "other"})
    first, second, after = _records(caplog)
    assert first["sessionId"] == str(session) and "fileIndex" not in first and "infohash" not in first
    assert {k: second[k] for k in ("sessionId", "infohash", "pickId", "job_id", "fileIndex")} == {
        "sessionId": str(session), "infohash": HASH, "pickId": "p-1", "job_id": "j-1", "fileIndex": 3}
    assert not {"sessionId", "infohash", "pickId", "fileIndex"} & set(after)
    # The fields are in the JSON line itself, as Powertools writes it.
    written = json.loads(_json_line([r for r in caplog.records if r.name == "seen-api"][1]))
    assert (written["sessionId"], written["infohash"], written["fileIndex"]) == (str(session), HASH, 3)


def test_a_field_given_on_the_line_itself_wins_over_the_blocks(caplog):
    with caplog.at_level("INFO", logger="seen-api"), stream_fields(file_index=2, infohash=HASH):
        get_logger().info("asked", extra={"action": "stream_test", "fileIndex": 7})
    [line] = _records(caplog)
    assert (line["fileIndex"], line["infohash"]) == (7, HASH)


def test_another_threads_stream_fields_never_reach_this_threads_lines(caplog):
    entered, done = threading.Event(), threading.Event()

    def other() -> None:
        with stream_fields(session_id=uuid.uuid4(), infohash=HASH):
            entered.set()
            done.wait(5)

    thread = threading.Thread(target=other)
    thread.start()
    entered.wait(5)
    with caplog.at_level("INFO", logger="seen-api"):
        get_logger().info("meanwhile", extra={"action": "other"})
    done.set()
    thread.join()
    [line] = _records(caplog)
    assert "sessionId" not in line and "infohash" not in line


def _json_line(record: logging.LogRecord) -> str:
    """The line as Powertools writes it (its handler's JSON formatter)."""
    return logging.getLogger(record.name).handlers[0].format(record)


def test_no_line_holds_a_whole_magnet_in_its_message_arguments_or_fields(caplog):
    logger = worker_logger("INFO")
    with caplog.at_level("INFO", logger="seen-worker"):
        logger.warning(f"engine refused {MAGNET}", extra={"action": "engine_error", "source": MAGNET.upper()})
        logging.getLogger("seen-worker").info("added %s", MAGNET)
    lines = [_json_line(r).lower() for r in caplog.records if r.name == "seen-worker"]
    assert len(lines) == 2
    assert all("tracker.example" not in line and "10.0.0.2" not in line and "dn=" not in line for line in lines)
    assert all(f"magnet:<{HASH}>" in line for line in lines)


def test_a_magnet_without_an_info_hash_is_cut_whole():
    assert redact_magnets("see magnet:?dn=Film&tr=udp://t.example:1 now") == "see magnet:<redacted> now"


@pytest.mark.parametrize(("magnet", "expected"), [
    (MAGNET, HASH),
    (f"magnet:?dn=x&xt=urn:btih:{HASH.upper()}", HASH),
    ("magnet:?xt=urn:btih:" + base64.b32encode(bytes.fromhex(HASH)).decode(), HASH),
    ("magnet:?xt=urn:btmh:1220" + "ab" * 32 + "&dn=v2", "ab" * 32),
    ("magnet:?dn=nothing", None),
    ("magnet:?xt=urn:btih:" + "zz" * 20, None),
])
def test_the_worker_reads_a_magnets_info_hash(magnet, expected):
    assert fields.magnet_hash(magnet) == expected


@pytest.mark.parametrize(("raw", "expected"), [
    (None, (True, None)), ("", (True, None)),
    ("0b7f3a4e-3c1d-4a8e-9b1a-2f6d5c4e3b2a", (True, uuid.UUID("0b7f3a4e-3c1d-4a8e-9b1a-2f6d5c4e3b2a"))),
    ("not-a-session", (False, None)), ("'; DROP TABLE x;--", (False, None)),
])
def test_a_stream_urls_session_is_a_uuid_or_refused(raw, expected):
    assert fields.session_of(raw) == expected


def _job(job_id: str, source_type: str = "magnet", source: str | None = MAGNET, wanted: list | None = None):
    spec = SimpleNamespace(job_id=job_id, source_type=source_type, source=source, torrent=None)
    engine = SimpleNamespace(want=lambda *args, **kwargs: (wanted if wanted is not None else []).append(args))
    payload = [SimpleNamespace(index=0, path="Film/Film.mkv", size=10), SimpleNamespace(index=1, path="s.mkv", size=1)]
    return SimpleNamespace(phase="running", payload=payload, stream_request=None, engine=engine, job_id=job_id,
                           spec=spec, hurry=lambda seconds: None)


def test_the_workers_play_request_line_names_the_file_and_the_info_hash_not_the_magnet(caplog):
    wanted: list = []
    job = _job(str(uuid.uuid4()), wanted=wanted)
    item = SimpleNamespace(stream_file=-1, stream_from=0, stream_requested_at=None, prefetch_files={1})
    with caplog.at_level("INFO", logger="seen-worker"):
        follow_request(SimpleNamespace(logger=worker_logger("INFO")), job, item)
    [line] = [r for r in _records(caplog, "seen-worker") if r["action"] == "stream_request_followed"]
    assert (line["job_id"], line["infohash"], line["fileIndex"]) == (job.job_id, HASH, 0)  # -1: the largest video
    assert wanted[0][:2] == (job.job_id, 0)
    assert "magnet:" not in json.dumps({k: str(v) for k, v in line.items()})


def test_an_http_job_has_no_info_hash():
    assert fields.infohash(_job(str(uuid.uuid4()), source_type="http", source="https://example.com/f.mkv")) is None


@pytest.mark.parametrize("endpoint", ["collector:4318", "grpc://collector:4317"])
def test_an_otlp_endpoint_must_be_an_http_url(endpoint):
    with pytest.raises(ConfigError):
        ObservabilitySettings.from_env({"SEEN_OTLP_ENDPOINT": endpoint})


def test_otlp_export_is_off_by_default_and_on_with_an_endpoint():
    assert ObservabilitySettings.from_env({}).otlp_endpoint is None
    assert ObservabilitySettings.from_env({"SEEN_OTLP_ENDPOINT": " http://127.0.0.1:4318 "}).otlp_endpoint == \
        "http://127.0.0.1:4318"


def test_a_torrent_jobs_info_hash_is_its_info_dictionarys_sha1(tmp_path):
    import hashlib

    import fastbencode

    from embedded.testpeers import make_file, make_torrent

    make_file(tmp_path / "Film.mkv", 1024 * 1024)
    data = make_torrent(tmp_path / "Film.mkv", "http://127.0.0.1:1/announce", 256 * 1024)
    expected = hashlib.sha1(fastbencode.bencode(fastbencode.bdecode(data)[b"info"])).hexdigest()  # noqa: S324
    spec = SimpleNamespace(job_id=str(uuid.uuid4()), source_type="torrent", source=None, torrent=data)
    assert fields.infohash(SimpleNamespace(spec=spec)) == expected
    unreadable = SimpleNamespace(job_id=str(uuid.uuid4()), source_type="torrent", source=None, torrent=b"d4:junke")
    assert fields.infohash(SimpleNamespace(spec=unreadable)) is None
