"""What metrics and tracing cost the hot paths (issue 37, item 5): the warm ``GET /dashboard`` and the player's
``POST /progress`` heartbeat with observability on vs off, in the same run.

On: every request records its latency and count (``observability.http_request``: prometheus-client in this
process, the Redis buckets of the admin view flushed by their thread) and the trace spans are exported over
OTLP/HTTP to a local fake collector (``SEEN_OTLP_ENDPOINT``), as at home with both switched on. Off: the
request's record and every other record are no-ops and nothing is exported. Rounds alternate on/off (and
which goes first), so the shared machine's load hits both alike; each side's figure is the median of its
per-request means. Goal: on / off <= 1.05. Whole handler through chalice.test.Client, authentication included.

``SEEN_BENCH_SMOKE=1`` (the smoke mode of ``make bench``): one short round each, to prove the scenario runs.
"""

from __future__ import annotations

import json
import os
import random
import threading
import time
from collections.abc import Callable, Iterator

import pytest

from chalicelib import db, observability
from chalicelib.config.observability import get_observability_settings
from chalicelib.observability import otlp, prom
from tests.integration.test_observability_otlp import Collector
from tests.integration.tracking_support import Catalog

from .conftest import summarise

SMOKE = os.environ.get("SEEN_BENCH_SMOKE", "") not in ("", "0")  # as tests/bench/conftest.py reads it
ROUNDS = 1 if SMOKE else 30
PAIRS = 1 if SMOKE else 20  # on/off request pairs per round
GOAL = 1.05
V1 = "/api/v1"


class Switch:
    """Observability on (as at home, OTLP export included) or off (records are no-ops, no export)."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch, endpoint: str) -> None:
        self.monkeypatch, self.endpoint = monkeypatch, endpoint
        self.real = (observability.http_request, observability._record_all)

    def __call__(self, on: bool) -> None:
        if on:
            self.monkeypatch.setattr(observability, "http_request", self.real[0])
            self.monkeypatch.setattr(observability, "_record_all", self.real[1])
            self.monkeypatch.setenv("SEEN_OTLP_ENDPOINT", self.endpoint)
        else:
            self.monkeypatch.setattr(observability, "http_request", lambda *args, **kwargs: None)
            self.monkeypatch.setattr(observability, "_record_all", lambda *args, **kwargs: None)
            self.monkeypatch.delenv("SEEN_OTLP_ENDPOINT", raising=False)
        get_observability_settings.cache_clear()
        get_observability_settings()  # read now, not inside the next timed request


@pytest.fixture
def switch(monkeypatch) -> Iterator[Switch]:
    collector = Collector()
    threading.Thread(target=collector.serve_forever, daemon=True).start()
    yield Switch(monkeypatch, collector.url)
    otlp.shutdown()
    monkeypatch.undo()
    get_observability_settings.cache_clear()
    collector.shutdown()
    collector.server_close()


@pytest.fixture
def viewer(client, make_user):
    """A user with some of what the dashboard shows: resume points, watch later, history."""
    _, headers = make_user()
    with db.connection() as conn:
        cat = Catalog(conn)
        for _ in range(10):
            for method, path, body in (("put", f"{V1}/watch-later/{cat.movie()}", None),
                                       ("post", f"{V1}/progress", {"mediaId": cat.movie(), "positionSeconds": 100.0,
                                                                   "durationSeconds": 6000.0}),
                                       ("post", f"{V1}/watched", {"mediaId": cat.movie()})):
                response = getattr(client.http, method)(path, headers=headers, body=json.dumps(body) if body else "")
                assert response.status_code in (200, 201), response.body
        movie = cat.movie()
    return headers, movie


def _interleaved(switch: Switch, call: Callable[[], None], samples: dict[bool, list[float]],
                 calls: dict[bool, int]) -> Callable[[], None]:
    """One round: ``PAIRS`` pairs of one request with observability on and one with it off, in a random order
    (seeded): a burst of load on the shared machine lands on both sides alike, and work a path does every few
    calls (a write it coalesces, a cache refill) falls on either side by chance, not by the pairs' rhythm."""
    chance = random.Random(37)  # noqa: S311 - an order of requests, not a secret

    def round_() -> None:
        for _ in range(PAIRS):
            for on in chance.sample((True, False), 2):
                switch(on)
                started = time.perf_counter()
                call()
                samples[on].append(time.perf_counter() - started)
                calls[on] += 1

    return round_


def _report(report, benchmark, scenario: str, subject: str, samples: dict[bool, list[float]]) -> float:
    ratio = report.ratio(scenario, summarise(samples[True]), summarise(samples[False]), goal=GOAL,
                         subject_label=f"{subject}, metrics + OTLP tracing on",
                         reference_label=f"{subject}, observability off", smoke=SMOKE)
    benchmark.extra_info["ratio"] = ratio
    return ratio


def _requests_recorded() -> float:
    text = prom.exposition().decode()
    return sum(float(line.rsplit(" ", 1)[1]) for line in text.splitlines()
               if line.startswith("http_requests_total{"))


def test_observability_overhead_on_the_warm_dashboard(benchmark, report, client, viewer, switch):
    headers, _ = viewer

    def get() -> None:
        response = client.http.get(f"{V1}/dashboard", headers=headers)
        assert response.status_code == 200

    get()  # fills the dashboard's cache entry: every timed call is warm
    samples: dict[bool, list[float]] = {True: [], False: []}
    calls = {True: 0, False: 0}
    before = _requests_recorded()
    round_ = _interleaved(switch, get, samples, calls)
    round_()  # warms both sides up; not kept
    samples[True].clear()
    samples[False].clear()
    benchmark.pedantic(round_, rounds=ROUNDS)
    # The "on" side really recorded each of its requests, and the "off" side none of its own.
    assert calls[False] and _requests_recorded() - before == calls[True]
    _report(report, benchmark, "observability: GET /dashboard warm, on vs off", "GET /dashboard warm", samples)


def test_observability_overhead_on_the_progress_heartbeat(benchmark, report, client, viewer, switch):
    headers, movie = viewer
    position = [100.0]

    def beat() -> None:
        position[0] += 1.0
        response = client.http.post(f"{V1}/progress", headers=headers, body=json.dumps(
            {"mediaId": movie, "positionSeconds": position[0], "durationSeconds": 6000.0}))
        assert response.status_code in (200, 201), response.body

    beat()
    samples: dict[bool, list[float]] = {True: [], False: []}
    calls = {True: 0, False: 0}
    before = _requests_recorded()
    round_ = _interleaved(switch, beat, samples, calls)
    round_()  # warms both sides up; not kept
    samples[True].clear()
    samples[False].clear()
    benchmark.pedantic(round_, rounds=ROUNDS)
    assert calls[False] and _requests_recorded() - before == calls[True]
    _report(report, benchmark, "observability: POST /progress heartbeat, on vs off", "POST /progress", samples)
