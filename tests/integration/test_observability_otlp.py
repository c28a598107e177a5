"""OTLP at home (issue 37, item 5): with ``SEEN_OTLP_ENDPOINT`` set, the home processes export the trace spans over
OTLP/HTTP. A local fake collector decodes what arrives as the protobuf ``ExportTraceServiceRequest`` a real
collector reads: one Get -> Play brings the five spans, nested as in X-Ray; the worker's Range server sends its
``stream`` span as ``seen-worker``. Off by default, and then the OpenTelemetry SDK is not even imported."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import threading
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import SimpleNamespace

import httpx
import pytest

from chalicelib import streamtoken
from chalicelib.config.observability import get_observability_settings
from chalicelib.logs import worker_logger
from chalicelib.observability import otlp, tracing
from embedded.fakes.torznab import FakeRelease
from tests.integration.picks_support import make_world
from tests.integration.sources_support import fake_indexers

ROOT = Path(__file__).resolve().parents[2]
GOOD = "Arrival.2001.1080p.WEB-DL.DDP5.1.H.264-NTb"
SECRET = "stream-secret-of-this-test-0123456789abcdef"


@dataclass(frozen=True)
class Span:
    name: str
    service: str
    trace_id: str
    span_id: str
    parent_id: str
    attributes: dict[str, object]


class Collector(ThreadingHTTPServer):
    """A fake OpenTelemetry collector: ``POST /v1/traces`` with a protobuf ExportTraceServiceRequest."""

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Receive)
        self.spans: list[Span] = []
        self.content_types: set[str] = set()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"


class _Receive(BaseHTTPRequestHandler):
    server: Collector

    def do_POST(self) -> None:
        from opentelemetry.proto.collector.trace.v1.trace_service_pb2 import (
            ExportTraceServiceRequest,
            ExportTraceServiceResponse,
        )

        body = self.rfile.read(int(self.headers["Content-Length"]))
        if self.path != "/v1/traces":
            self.send_error(404)
            return
        self.server.content_types.add(self.headers["Content-Type"])
        request = ExportTraceServiceRequest.FromString(body)
        for resource_spans in request.resource_spans:
            service = next(a.value.string_value for a in resource_spans.resource.attributes if a.key == "service.name")
            for scope_spans in resource_spans.scope_spans:
                for span in scope_spans.spans:
                    attributes = {a.key: getattr(a.value, a.value.WhichOneof("value") or "string_value")
                                  for a in span.attributes}
                    self.server.spans.append(Span(span.name, service, span.trace_id.hex(), span.span_id.hex(),
                                                  span.parent_span_id.hex(), attributes))
        answer = ExportTraceServiceResponse().SerializeToString()
        self.send_response(200)
        self.send_header("Content-Type", "application/x-protobuf")
        self.send_header("Content-Length", str(len(answer)))
        self.end_headers()
        self.wfile.write(answer)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def collector(monkeypatch) -> Iterator[Collector]:
    """The fake collector, and this process exporting to it (``SEEN_OTLP_ENDPOINT``)."""
    server = Collector()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    monkeypatch.setenv("SEEN_OTLP_ENDPOINT", server.url)
    get_observability_settings.cache_clear()
    yield server
    otlp.shutdown()
    monkeypatch.delenv("SEEN_OTLP_ENDPOINT")
    get_observability_settings.cache_clear()
    tracing.use_service(tracing.SERVICE)
    server.shutdown()
    server.server_close()


@pytest.fixture
def world(client, make_user, settings_env):
    return make_world(client, make_user, settings_env)


@pytest.fixture
def fake_indexer():
    yield from fake_indexers()


def test_one_get_and_play_at_home_exports_the_five_spans_over_otlp(world, fake_indexer, collector):
    world.indexer(fake_indexer([FakeRelease(GOOD, size=5_000_000_000, seeders=150, leechers=10)]))
    movie = world.movie("Arrival", runtime=116)

    assert world.user("GET", f"/api/v1/movies/{movie}")[0] == 200  # the title's page
    status, got = world.user("POST", "/api/v1/picks", {"mediaId": movie})  # Get
    assert status in (200, 201), got
    assert world.user("GET", f"/api/v1/downloads/{got['job']['id']}/stream")[0] == 202  # Play (it waits)
    assert otlp.flush()

    spans = {span.name: span for span in collector.spans}
    assert sorted(spans) == ["catalog", "pick", "score", "search", "stream"]
    assert len(collector.spans) == 5
    assert {span.service for span in collector.spans} == {"seen-api"}
    assert collector.content_types == {"application/x-protobuf"}
    # The score inside the search inside the pick (one trace: the Get); the page and the Play are traces of
    # their own, as each is a request of its own.
    assert spans["score"].parent_id == spans["search"].span_id
    assert spans["search"].parent_id == spans["pick"].span_id
    assert spans["pick"].trace_id == spans["search"].trace_id == spans["score"].trace_id
    assert spans["pick"].parent_id == spans["catalog"].parent_id == spans["stream"].parent_id == ""
    assert len({spans["catalog"].trace_id, spans["pick"].trace_id, spans["stream"].trace_id}) == 3


def test_the_workers_range_server_exports_its_stream_span_as_the_worker(collector, tmp_path):
    from chalicelib.messages import DownloadStart
    from worker.engines.base import JobSpec, PayloadFile
    from worker.jobs import ActiveJob
    from worker.stream.app import build
    from worker.stream.server import StreamServer
    from worker.stream.waits import Waits

    job_id, session = str(uuid.uuid4()), uuid.uuid4()
    data = tmp_path / "Film.mkv"
    data.write_bytes(b"x" * 4096)
    spec = JobSpec(job_id=job_id, attempt=1, source_type="http", source="https://files.example/Film.mkv",
                   torrent=None, workdir=tmp_path)
    job = ActiveJob(command=DownloadStart(job_id=job_id, attempt=1, source_type="http", source=spec.source),
                    spec=spec, engine=None, phase="uploading", payload=[PayloadFile(0, "Film.mkv", data, 4096)])
    ctx = SimpleNamespace(lock=threading.RLock(), active_jobs={job_id: job}, store=None, logger=worker_logger())
    tracing.use_service("seen-worker")  # what worker.stream.server.start says
    pool = ThreadPoolExecutor(2)
    running = StreamServer(build(ctx, SECRET, Waits(2, 4, 8), pool, 1.0), socket.create_server(("127.0.0.1", 0)))
    running.start()
    try:
        url = streamtoken.url(SECRET, f"http://127.0.0.1:{running.port}", job_id, 0, 600) + f"&session={session}"
        assert httpx.get(url, headers={"Range": "bytes=0-9"}, timeout=10).status_code == 206
    finally:
        running.stop()
        pool.shutdown()
    assert otlp.flush()
    [span] = collector.spans
    assert (span.name, span.service, span.parent_id) == ("stream", "seen-worker", "")
    assert span.attributes == {"fileIndex": 0, "sessionId": str(session)}


PROBE = """
import sys
from chalicelib.observability import tracing
import worker.stream.app
with tracing.span("stream"):
    pass
print(sorted({name.split(".")[0] for name in sys.modules if name.startswith(("opentelemetry", "google.protobuf"))}))
"""


@pytest.mark.parametrize(("endpoint", "loaded"), [(None, "[]"), ("http://127.0.0.1:9", "['google', 'opentelemetry']")])
def test_the_opentelemetry_sdk_loads_only_when_export_is_on(endpoint, loaded):
    env = {k: v for k, v in os.environ.items() if k != "SEEN_OTLP_ENDPOINT"}
    if endpoint:
        env["SEEN_OTLP_ENDPOINT"] = endpoint
    # The probe's span goes nowhere (nothing listens on port 9): dropped by the exporter, never an error.
    result = subprocess.run([sys.executable, "-c", PROBE], cwd=ROOT, env={**env, "PYTHONPATH": str(ROOT)},
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == loaded
