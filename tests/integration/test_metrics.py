"""Metrics (issue 37, item 5): a scripted Get -> Play session moves every named metric in the admin view
(Redis buckets every process writes) and in the process's Prometheus registry; the production server's
``/metrics`` answers this host or the metrics token only and sums its worker processes."""

from __future__ import annotations

import re
import time

import httpx
import pytest

from chalicelib import observability
from chalicelib.observability import names, prom, window
from tests.integration.auth_support import PASSWORD
from tests.integration.picks_support import make_world
from tests.integration.sources_support import episode_releases, fake_indexers
from tests.integration.test_prefetch import beat, enqueued, handle
from tests.server_support import production_server

URL = "/api/v1/admin/metrics"
EVENTS = "/api/v1/playback/events"
SHOW = "Severance"
TOKEN = "metrics-token-for-the-tests-0123456789"
NAMED = ("search_latency_ms", "score_latency_ms", "start_to_first_byte_ms", "buffer_events_total",
         "fallback_switch_total", "prefetch_hit_ratio", "resume_success_total")


@pytest.fixture(autouse=True)
def fresh_buckets(redis_client):
    """Sums an earlier test of this process left pending are written now, then wiped with the rest."""
    window.flush()
    redis_client.flushdb()


@pytest.fixture
def world(client, make_user, settings_env):
    return make_world(client, make_user, settings_env)


@pytest.fixture
def fake_indexer():
    yield from fake_indexers()


def player_reports(api) -> None:
    for body in ({"kind": "first_byte", "ms": 840}, {"kind": "first_byte", "ms": 1900}, {"kind": "buffer"},
                 {"kind": "fallback"}, {"kind": "resume_ok"}):
        status, answer = api("POST", EVENTS, body)
        assert status == 204, answer


def prom_value(text: str, sample: str) -> float:
    found = re.search(rf"^{re.escape(sample)} (\S+)$", text, re.M)
    assert found, f"{sample} is not in /metrics"
    return float(found.group(1))


def test_a_get_and_play_session_moves_every_metric_of_the_admin_view(client, world, fake_indexer):
    show_id, episodes = world.show(SHOW, {1: 3}, runtime=45)
    world.indexer(fake_indexer(episode_releases(SHOW, 1, 2, 4)))
    status, empty = world.admin("GET", URL)
    assert status == 200 and set(empty["metrics"]) == {m.name for m in names.WINDOWED}
    assert empty["metrics"]["search_latency_ms"] == {"count": 0, "sum": 0, "avg": 0, "p50": 0, "p95": 0}
    assert empty["metrics"]["prefetch_hit_ratio"] == {"ratio": 0, "total": 0}
    before = prom.exposition().decode()

    status, found = world.user("GET", f"/api/v1/sources?mediaId={show_id}&season=1&episode=1")  # Get: search
    assert status == 200, found
    beat(world, show_id, episodes[(1, 1)], 0.6)  # Play past half: the next episode is prefetched (a pick)
    handle(client, enqueued())
    player_reports(world.user)

    status, body = world.admin("GET", URL + "?window=24h")
    assert status == 200
    metrics = body["metrics"]
    assert metrics["search_latency_ms"]["count"] >= 2  # the Get, then the prefetch's own pick
    assert metrics["score_latency_ms"]["count"] >= 2
    first_byte = metrics["start_to_first_byte_ms"]
    assert (first_byte["count"], first_byte["sum"], first_byte["avg"]) == (2, 2740, 1370)
    assert 500 <= first_byte["p50"] <= 1000 < first_byte["p95"] <= 2500  # from the histogram buckets
    assert [metrics[n]["total"] for n in ("buffer_events_total", "fallback_switch_total",
                                          "resume_success_total")] == [1, 1, 1]
    assert metrics["prefetch_hit_ratio"] == {"ratio": 1, "total": 1}  # picked: ready when it is played
    assert metrics["http_requests_total"]["total"] >= 8 and metrics["http_request_latency_ms"]["count"] >= 8

    after = prom.exposition().decode()  # this process's registry (python -m server's /metrics sums these)
    for sample in ("search_latency_ms_count", "score_latency_ms_count", "start_to_first_byte_ms_count",
                   "buffer_events_total", "fallback_switch_total", "resume_success_total",
                   "prefetch_hit_ratio_tries_total"):
        assert prom_value(after, sample) > prom_value(before, sample), sample
    assert prom_value(after, "prefetch_hit_ratio") > 0


def test_a_method_token_the_api_does_not_know_is_one_label():
    """Any method token reaches the app through the edge (Caddy passes it on): each would be a new series."""
    for token in ("BREW", "X-SCAN-1", "X-SCAN-2", "GET"):
        observability.http_request("/api/v1/health", token, 405, 1.0)
    text = prom.exposition().decode()
    assert re.search(r'http_requests_total\{[^}]*method="other"', text), text[-2000:]
    assert re.search(r'http_requests_total\{[^}]*method="GET"', text)
    assert not re.search(r'method="(BREW|X-SCAN-\d)"', text)


def test_the_admin_view_is_for_admins_and_checks_its_window(client, world):
    assert client.http.get(URL).status_code == 401
    status, body = world.user("GET", URL)
    assert status == 403 and body["error"]["code"] == "forbidden"
    status, body = world.admin("GET", URL + "?window=2d")
    assert status == 422 and "window" in body["error"]["fields"]
    for name in ("1h", "24h", "7d"):
        assert world.admin("GET", f"{URL}?window={name}")[0] == 200


def test_player_reports_are_checked_and_rate_limited(client, world):
    assert client.http.post(EVENTS, body='{"kind": "buffer"}', headers={"Content-Type": "application/json"}
                            ).status_code == 401
    assert world.user("POST", EVENTS, {"kind": "first_byte"})[0] == 422  # a first frame needs its ms
    assert world.user("POST", EVENTS, {"kind": "stall"})[0] == 422
    assert world.user("POST", EVENTS, {"kind": "first_byte", "ms": -1})[0] == 422
    statuses = [world.user("POST", EVENTS, {"kind": "buffer"})[0] for _ in range(120)]
    assert statuses == [204] * 119 + [429]  # 120 a minute, the first_byte without ms was one of them


def test_without_redis_the_admin_view_answers_zeros_and_reports_still_succeed(client, world, settings_env):
    from chalicelib import cache

    world.user("POST", EVENTS, {"kind": "resume_ok"})
    settings_env(REDIS_URL="redis://127.0.0.1:9/0", SEEN_REDIS_TIMEOUT="0.2")  # nothing listens on port 9
    cache.reset()
    assert world.user("POST", EVENTS, {"kind": "buffer"})[0] == 204
    status, body = world.admin("GET", URL)
    assert status == 200 and body["metrics"]["resume_success_total"] == {"total": 0}
    cache.reset()


# ------------------------------------------------------------------ python -m server's /metrics


@pytest.fixture
def server(app_db, aws, redis_client, tmp_path):
    with production_server(tmp_path / "server.log", env={"SEEN_METRICS_TOKEN": TOKEN,
                                                         "SEEN_METRICS_DIR": str(tmp_path / "metrics")},
                           workers=2) as running:
        yield running


def test_the_servers_metrics_sum_its_workers_and_answer_only_this_host_or_the_token(server):
    base = server.base_url
    admin = httpx.post(base + "/api/v1/auth/register", timeout=30,  # the first account is the admin
                       json={"email": "owner@seen.test", "password": PASSWORD})
    assert admin.status_code == 201, admin.text
    headers = {"Authorization": f"Bearer {admin.json()['accessToken']}"}
    text = httpx.get(base + "/metrics", timeout=30).text
    for name in (*NAMED, "http_request_latency_ms", "http_requests_total", "queue_depth"):  # errors: none yet
        assert f"# TYPE {name} " in text, name
    assert 'queue_depth{queue="seen-download-commands"} 0.0' in text
    before = prom_value(text, "buffer_events_total")

    for _ in range(3):  # a new connection each: the reports land on both worker processes
        for body in ({"kind": "first_byte", "ms": 900}, {"kind": "buffer"}, {"kind": "fallback"},
                     {"kind": "resume_ok"}):
            assert httpx.post(base + EVENTS, json=body, headers=headers, timeout=30).status_code == 204
    text = httpx.get(base + "/metrics", timeout=30).text
    assert prom_value(text, "buffer_events_total") == before + 3
    assert prom_value(text, "start_to_first_byte_ms_count") == 3
    assert prom_value(text, "fallback_switch_total") == prom_value(text, "resume_success_total") == 3
    assert prom_value(text, 'http_requests_total{method="POST",route="/api/v1/playback/events"}') == 12

    deadline = time.monotonic() + 15  # each worker writes the admin view's Redis buckets every few seconds
    while time.monotonic() < deadline:
        seen = httpx.get(base + URL, headers=headers, timeout=30).json()["metrics"]["buffer_events_total"]
        if seen["total"] == 3:
            break
        time.sleep(0.5)
    assert seen == {"total": 3}

    proxied = {"X-Forwarded-For": "203.0.113.9"}  # what Caddy adds: a public caller, even from 127.0.0.1
    assert httpx.get(base + "/metrics", headers=proxied, timeout=30).status_code == 403
    assert httpx.get(base + "/metrics", headers={**proxied, "Authorization": "Bearer wrong-token-0123456789"},
                     timeout=30).status_code == 403
    assert httpx.get(base + "/metrics", headers={**proxied, "Authorization": f"Bearer {TOKEN}"},
                     timeout=30).status_code == 200


# ------------------------------------------------------------------ the worker's /metrics


@pytest.fixture
def worker_stream(monkeypatch):
    """The worker's Range server (aiohttp) on a free port, with two running downloads and one uploading."""
    import socket
    import threading
    from concurrent.futures import ThreadPoolExecutor
    from types import SimpleNamespace

    from chalicelib.config.observability import get_observability_settings
    from worker.stream.app import build
    from worker.stream.server import StreamServer
    from worker.stream.waits import Waits

    monkeypatch.setenv("SEEN_METRICS_TOKEN", TOKEN)
    get_observability_settings.cache_clear()
    job = lambda phase, speed: SimpleNamespace(phase=phase, progress=SimpleNamespace(speed_bps=speed))  # noqa: E731
    ctx = SimpleNamespace(lock=threading.RLock(), active_jobs={
        "a": job("running", 2_500_000.0), "b": job("running", 1_000_000.0), "c": job("uploading", 9e9)})
    pool = ThreadPoolExecutor(2)
    running = StreamServer(build(ctx, "s" * 40, Waits(2, 4, 8), pool, 1.0), socket.create_server(("127.0.0.1", 0)))
    running.start()
    yield f"http://127.0.0.1:{running.port}"
    running.stop()
    pool.shutdown()
    monkeypatch.delenv("SEEN_METRICS_TOKEN")
    get_observability_settings.cache_clear()


def test_the_workers_metrics_show_its_download_throughput_to_this_host_or_the_token(worker_stream):
    text = httpx.get(worker_stream + "/metrics", timeout=10).text
    assert prom_value(text, "download_bytes_per_second") == 3_500_000  # the uploading job receives nothing
    assert prom_value(text, "downloads_active") == 2
    proxied = {"X-Forwarded-For": "203.0.113.9"}
    assert httpx.get(worker_stream + "/metrics", headers=proxied, timeout=10).status_code == 403
    assert httpx.get(worker_stream + "/metrics", headers={**proxied, "Authorization": f"Bearer {TOKEN}"},
                     timeout=10).status_code == 200
    assert httpx.get(worker_stream + "/stream/job/0?exp=1&sig=x", timeout=10).status_code == 403  # streams as before
