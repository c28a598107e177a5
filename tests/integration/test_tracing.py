"""Traces (issue 37, item 5): in Lambda one Get -> Play (the title's page, Get, Play) is traced as the five
spans catalog, search, score, pick and stream, as Powertools Tracer subsegments of the invocation's X-Ray
segment. Powertools streams each closed subsegment to the X-Ray daemon at once; the test's emitter captures
what would be sent (nothing leaves the process). Outside Lambda a span is a no-op."""

from __future__ import annotations

import pytest
from aws_xray_sdk.core.emitters.udp_emitter import UDPEmitter

from chalicelib.config.observability import get_observability_settings
from chalicelib.observability import tracing
from embedded.fakes.torznab import FakeRelease
from tests.integration.picks_support import make_world
from tests.integration.sources_support import fake_indexers

GOOD = "Arrival.2001.1080p.WEB-DL.DDP5.1.H.264-NTb"


@pytest.fixture
def world(client, make_user, settings_env):
    return make_world(client, make_user, settings_env)


@pytest.fixture
def fake_indexer():
    yield from fake_indexers()


class Captured(UDPEmitter):
    """An X-Ray emitter that keeps what it would send to the daemon: (name, id, parent id) per entity."""

    def __init__(self) -> None:
        super().__init__()
        self.sent: list[tuple[str, str, str | None]] = []

    def send_entity(self, entity) -> None:
        sent = entity.to_dict()
        self.sent.append((sent["name"], sent["id"], sent.get("parent_id")))

    def set_daemon_address(self, address) -> None:
        pass

    def parents(self, segment_id: str) -> dict[str, str]:
        """Each span's parent span by name ("" for the invocation's segment)."""
        names = {entity_id: name for name, entity_id, _ in self.sent}
        return {name: "" if parent == segment_id else names.get(parent or "", "?") for name, _, parent in self.sent}


@pytest.fixture
def xray(monkeypatch):
    """Lambda as X-Ray sees it: a recorder with one open segment (the invocation's), the SDK enabled."""
    import aws_xray_sdk
    from aws_lambda_powertools import Tracer
    from aws_xray_sdk.core import xray_recorder
    from aws_xray_sdk.core.context import Context

    monkeypatch.setenv("LAMBDA_TASK_ROOT", "/var/task")
    monkeypatch.setenv("AWS_LAMBDA_FUNCTION_NAME", "seen-api-test")
    get_observability_settings.cache_clear()
    # Tracer's shared configuration keeps "disabled" once a Tracer was made outside Lambda (another test of
    # this process): start from Powertools' defaults, as a fresh Lambda container does.
    Tracer._reset_config()
    was_enabled = aws_xray_sdk.global_sdk_config.sdk_enabled()
    aws_xray_sdk.global_sdk_config.set_sdk_enabled(True)
    captured = Captured()
    xray_recorder.configure(context=Context(), sampling=False, emitter=captured)
    segment = xray_recorder.begin_segment("seen-api-test")
    yield captured, segment.id
    xray_recorder.clear_trace_entities()
    aws_xray_sdk.global_sdk_config.set_sdk_enabled(was_enabled)
    monkeypatch.delenv("LAMBDA_TASK_ROOT")
    monkeypatch.delenv("AWS_LAMBDA_FUNCTION_NAME")
    get_observability_settings.cache_clear()
    Tracer._reset_config()


def test_one_get_and_play_in_lambda_carries_the_five_spans(world, fake_indexer, xray, caplog):
    world.indexer(fake_indexer([FakeRelease(GOOD, size=5_000_000_000, seeders=150, leechers=10)]))
    movie = world.movie("Arrival", runtime=116)

    assert world.user("GET", f"/api/v1/movies/{movie}")[0] == 200  # the title's page
    status, got = world.user("POST", "/api/v1/picks", {"mediaId": movie})  # Get
    assert status in (200, 201), got
    with caplog.at_level("INFO", logger="seen-api"):
        world.user("GET", f"/api/v1/downloads/{got['job']['id']}/stream")  # Play (it waits for the first pieces)

    captured, segment_id = xray
    # Sent as each span ends: the score inside the search inside the pick (the Get), then the stream (Play).
    assert [name for name, _, _ in captured.sent] == ["catalog", "score", "search", "pick", "stream"]
    assert captured.parents(segment_id) == {"catalog": "", "pick": "", "search": "pick", "score": "search",
                                            "stream": ""}
    # The streaming log lines name the job, its info hash and pick (and the file asked for), never the magnet
    # link (tests/integration/test_observability_stream_logs.py: the session and the worker's lines).
    lines = [vars(r) for r in caplog.records if str(getattr(r, "action", "")).startswith("stream")]
    assert lines and all(line["job_id"] == got["job"]["id"] and line["infohash"] and line["pickId"]
                         for line in lines)
    assert all("fileIndex" in line for line in lines if line["action"] == "stream_requested")
    assert all("magnet:" not in r.getMessage() and "magnet:" not in str(vars(r)) for r in caplog.records)


def test_outside_lambda_a_span_records_nothing():
    from aws_xray_sdk.core import xray_recorder
    from aws_xray_sdk.core.context import Context

    get_observability_settings.cache_clear()
    captured = Captured()
    xray_recorder.configure(context=Context(), sampling=False, emitter=captured)
    xray_recorder.begin_segment("not-lambda")
    try:
        with tracing.span("pick"):
            pass
        assert captured.sent == []
    finally:
        xray_recorder.clear_trace_entities()
