"""The load test's request mix, seeding, production server and in-process reference (tests/bench/test_load.py).

The mix is what the SPA sends (frontend/src): a user moves between pages
("visits"); each visit is a list of ``(pause_before_s, Call)``. locust sleeps
the pauses (FastHttpUser, tests/bench/locustfile.py), the saturation step and
the in-process reference skip them. Request names say what a call is:
``read: ...`` the cached reads (dashboard, discover, genres, search, suggest,
downloads list), ``write: ...`` the player's progress heartbeat. This module
imports no app code at import time: the locust process loads it too.
"""

from __future__ import annotations

import io
import json
import os
import random
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

API = "/api/v1"
ROOT = Path(__file__).resolve().parents[2]
POLL_S = 2.5  # frontend/src/components/downloads/status.ts POLL_MS: lists poll while a job is active
HEARTBEAT_S = 10.0  # frontend/src/components/player/progress.ts PROGRESS_INTERVAL_MS
TYPING_S = 0.35  # a burst of 2-4 keys, then the 180 ms suggest debounce
WEIGHTS = {"dashboard": 4, "discover": 3, "search": 3, "watch": 3, "downloads": 1}
HEARTBEATS_PER_WATCH = 6  # a minute of playback per watch visit
DOWNLOAD_POLLS = 8  # ~20 s on the downloads page
Call = tuple[str, str, str, dict[str, Any] | None]  # (name, method, path with query, JSON body)


def _get(name: str, path: str, **query: Any) -> Call:
    query = {k: v for k, v in query.items() if v is not None}
    return (name, "GET", f"{API}{path}" + (f"?{urlencode(query)}" if query else ""), None)


def typo(rng: random.Random, text: str) -> str:
    """A query as typed in a hurry: one letter dropped, doubled or swapped (short words stay right)."""
    if len(text) < 5:
        return text
    i = rng.randrange(1, len(text) - 1)
    kind = rng.choice(("drop", "double", "swap", "none"))
    if kind == "drop":
        return text[:i] + text[i + 1:]
    if kind == "double":
        return text[:i] + text[i] + text[i:]
    if kind == "swap":
        return text[:i - 1] + text[i] + text[i - 1] + text[i + 1:]
    return text


def search_visit(rng: random.Random, titles: list[str]) -> list[tuple[float, Call]]:
    """The header search box: a suggest per typing pause (SearchField.tsx), then the results page (Search.tsx)."""
    query = typo(rng, rng.choice(titles).lower()[:40]).strip()
    calls: list[tuple[float, Call]] = []
    typed = 0
    while typed < len(query):
        typed = min(len(query), typed + rng.randint(2, 4))
        if query[:typed].strip():
            calls.append((TYPING_S, _get("read: search suggest", "/search/suggest", q=query[:typed].strip())))
    calls.append((1.0, _get("read: search", "/search", q=query, page=1, pageSize=30)))
    return calls


def discover_visit(rng: random.Random) -> list[tuple[float, Call]]:
    """Discover.tsx: the genres of the chosen type and a page of rows (6 rows of 20); sometimes page 2."""
    media_type = rng.choice((None, None, "movie", "show", "game"))
    calls = [(0.0, _get("read: genres", "/genres", mediaType=media_type)),
             (0.0, _get("read: discover", "/discover", mediaType=media_type, page=1, pageSize=6, rowSize=20))]
    if rng.random() < 0.3:
        calls.append((3.0, _get("read: discover", "/discover", mediaType=media_type, page=2, pageSize=6,
                                rowSize=20)))
    return calls


def watch_visit(rng: random.Random, watch: dict[str, Any]) -> list[tuple[float, Call]]:
    """The player: a progress heartbeat every 10 s (player/api.ts sendProgress), below the watched mark."""
    duration = float(watch["durationSeconds"])
    position = round(rng.uniform(0.05, 0.5) * duration, 1)
    calls = []
    for beat in range(HEARTBEATS_PER_WATCH):
        body = {"mediaId": watch["mediaId"], "positionSeconds": round(position + beat * HEARTBEAT_S, 1),
                "durationSeconds": duration}
        if watch.get("episodeId"):
            body["episodeId"] = watch["episodeId"]
        calls.append((HEARTBEAT_S if beat else 0.0, ("write: progress", "POST", f"{API}/progress", body)))
    return calls


def visit(kind: str, rng: random.Random, user: dict[str, Any], titles: list[str]) -> list[tuple[float, Call]]:
    """One page visit of ``kind`` (a key of WEIGHTS) by ``user`` (an entry of the seed file)."""
    polls = user["activeDownloads"]  # the SPA polls only while a job is running
    if kind == "dashboard":  # Dashboard.tsx, and its downloads widget polling
        return [(0.0, _get("read: dashboard", "/dashboard"))] + \
               [(POLL_S, _get("read: downloads", "/downloads", limit=50))] * (2 if polls else 0)
    if kind == "downloads":  # Downloads.tsx
        return [(0.0 if i == 0 else POLL_S, _get("read: downloads", "/downloads", limit=20))
                for i in range(DOWNLOAD_POLLS if polls else 1)]
    if kind == "discover":
        return discover_visit(rng)
    if kind == "search":
        return search_visit(rng, titles)
    return watch_visit(rng, user["watch"])


def degraded_widgets(dashboard: dict[str, Any]) -> list[str]:
    """The dashboard widgets served as "unavailable" (a source failed; the rest of the page is served)."""
    return sorted(name for name, widget in dashboard.items() if isinstance(widget, dict) and widget.get("error"))


def pick(rng: random.Random) -> str:
    return rng.choices(list(WEIGHTS), weights=list(WEIGHTS.values()))[0]


def load_seed(path: str | Path) -> dict[str, Any]:
    return json.loads(Path(path).read_text())


# --- The production server under test.


def start_server(port: int, env: dict[str, str], log: Path, workers: int, threads: int) -> subprocess.Popen:
    """``python -m server`` on 127.0.0.1:port, ready (GET /api/v1/health/ready is 200) when this returns."""
    command = [sys.executable, "-m", "server", "--bind", f"127.0.0.1:{port}", "--workers", str(workers),
               "--threads", str(threads)]
    out = log.open("ab")
    proc = subprocess.Popen(command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"the server exited with {proc.returncode}; see {log}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}{API}/health/ready", timeout=5) as response:
                if response.status == 200:
                    return proc
        except (urllib.error.URLError, OSError):
            pass
        time.sleep(0.5)
    stop_server(proc)
    raise RuntimeError(f"the server was not ready within 90 s; see {log}")


def stop_server(proc: subprocess.Popen) -> None:
    """SIGTERM (gunicorn's graceful stop), SIGKILL after 30 s."""
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=10)


# --- The in-process reference: the same visits as direct app(event, context) calls.


def _environ(call: Call, token: str) -> dict[str, Any]:
    _, method, target, body = call
    path, _, query = target.partition("?")
    raw = json.dumps(body).encode() if body is not None else b""
    environ = {"REQUEST_METHOD": method, "PATH_INFO": path, "RAW_URI": target, "QUERY_STRING": query,
               "SERVER_PROTOCOL": "HTTP/1.1", "REMOTE_ADDR": "127.0.0.1", "wsgi.input": io.BytesIO(raw),
               "HTTP_AUTHORIZATION": f"Bearer {token}", "HTTP_USER_AGENT": "seen-load-reference",
               "HTTP_ACCEPT": "application/json"}
    if raw:
        environ.update(CONTENT_TYPE="application/json", CONTENT_LENGTH=str(len(raw)))
    return environ


def _invoker():
    """A function running one Call through the adapter's event builder and ``app(event, context)``;
    it returns what went wrong, or None."""
    from app import app
    from server import wsgi

    wsgi.thread_safe(app)  # several threads, as in a gthread worker
    routes = wsgi.Routes(app.routes)
    binary = tuple(app.api.binary_types)

    def invoke(call: Call, token: str) -> str | None:
        environ = _environ(call, token)
        path = wsgi.request_path(environ)
        event = wsgi.to_event(environ, path, routes.match(path), environ["wsgi.input"].read(), binary)
        result = app(event, wsgi.LambdaContext(30.0))
        status = int(result["statusCode"])
        if status >= 400:
            return f"{call[0]}: HTTP {status}: {str(result.get('body'))[:160]}"
        if call[0] == "read: dashboard" and (degraded := degraded_widgets(json.loads(result["body"]))):
            return f"{call[0]}: HTTP 200 with unavailable widgets: {', '.join(degraded)}"  # as locust counts it
        return None

    return invoke


def _reference_loop(invoke: Any, seed: dict[str, Any], rng: random.Random, end: float) -> dict[str, Any]:
    counted = errors = 0
    messages: list[str] = []
    while time.monotonic() < end:
        user = rng.choice(seed["users"])
        for _, call in visit(pick(rng), rng, user, seed["titles"]):
            error = invoke(call, user["token"])
            counted += 1
            if error:
                errors += 1
                if len(messages) < 5:
                    messages.append(error)
    return {"requests": counted, "errors": errors, "messages": messages}


def reference_process(index: int, seed_path: str, seconds: float, threads: int, env: dict[str, str],
                      barrier: Any, results: Any, log: str) -> None:
    """One reference process (like one server worker, ``threads`` threads): warm up, wait for the other
    processes, then run the mix for ``seconds``. Its output goes to ``log``, as the server's does."""
    from concurrent.futures import ThreadPoolExecutor

    with open(log, "ab") as out:
        os.dup2(out.fileno(), 1)
        os.dup2(out.fileno(), 2)
    os.environ.clear()
    os.environ.update(env)  # the server's environment, before the app is imported
    seed = load_seed(seed_path)
    invoke = _invoker()
    rng = random.Random(index)  # noqa: S311 - a reproducible mix, nothing secret
    for user in rng.sample(seed["users"], min(10, len(seed["users"]))):  # warm-up: imports, pools, first queries
        for _, call in visit(pick(rng), rng, user, seed["titles"]):
            invoke(call, user["token"])
    barrier.wait(timeout=120)
    end = time.monotonic() + seconds
    with ThreadPoolExecutor(threads) as pool:
        parts = list(pool.map(lambda n: _reference_loop(invoke, seed, random.Random(index * 100 + n), end),  # noqa: S311
                              range(threads)))
    results.put({"requests": sum(p["requests"] for p in parts), "errors": sum(p["errors"] for p in parts),
                 "messages": [m for p in parts for m in p["messages"]][:5]})


# --- Seeding: the demo catalog and its calendar, then users with some of everything, through the API.

MAGNET = "magnet:?xt=urn:btih:{}&dn=Load%20test%20{}"


def catalog_ids() -> dict[str, Any]:
    """Demo movies, aired episodes (show, episode) and every demo title (the search queries)."""
    from chalicelib import db

    with db.connection() as conn:
        movies = [r["id"] for r in conn.execute(
            "SELECT id FROM media_items WHERE is_demo AND media_type = 'movie' AND release_date <= current_date "
            "ORDER BY id").fetchall()]
        episodes = [(r["media_id"], r["id"]) for r in conn.execute(
            "SELECT e.media_id, e.id FROM episodes e JOIN media_items m ON m.id = e.media_id "
            "WHERE m.is_demo AND e.air_date <= current_date ORDER BY e.id").fetchall()]
        titles = [r["title"] for r in conn.execute("SELECT title FROM media_items WHERE is_demo").fetchall()]
    return {"movies": movies, "episodes": episodes, "titles": titles}


def _call(client, headers: dict[str, str], method: str, path: str, body: Any = None) -> Any:
    response = getattr(client.http, method.lower())(f"{API}{path}", headers=headers,
                                                    body=json.dumps(body) if body is not None else "")
    assert response.status_code in (200, 201, 202), (path, response.status_code, response.body)
    return json.loads(response.body) if response.body else None


def seed_user(client, make_user, rng: random.Random, ids: dict[str, Any]) -> dict[str, Any]:
    """One account with a watchlist, follows, history, resume points and two downloads; its token."""
    user_id, headers = make_user()
    movies = rng.sample(ids["movies"], 8)
    for movie in movies[:4]:
        _call(client, headers, "PUT", f"/watch-later/{movie}")
    for movie in movies[4:6]:
        _call(client, headers, "POST", "/watched", {"mediaId": movie})
    show, episode = rng.choice(ids["episodes"])
    _call(client, headers, "PUT", f"/follows/{show}", {"state": "follow"})
    _call(client, headers, "POST", "/progress", {"mediaId": show, "episodeId": episode, "positionSeconds": 600.0,
                                                 "durationSeconds": 2700.0})
    _call(client, headers, "POST", "/progress", {"mediaId": movies[6], "positionSeconds": 1200.0,
                                                 "durationSeconds": 6000.0})
    for n in range(2):
        _call(client, headers, "POST", "/downloads", {"sourceType": "magnet",
                                                      "source": MAGNET.format(rng.randbytes(20).hex(), n)})
    watch = ({"mediaId": show, "episodeId": episode, "durationSeconds": 2700.0} if rng.random() < 0.5
             else {"mediaId": movies[7], "durationSeconds": 6000.0})
    return {"id": str(user_id), "token": headers["Authorization"].split()[1], "watch": watch}


def settle_downloads(users: list[dict[str, Any]], active_every: int = 4) -> None:
    """Every job completed, except one downloading job (with live telemetry) for every ``active_every``-th user."""
    from datetime import UTC, datetime

    from chalicelib import db
    from chalicelib.telemetry import DownloadTelemetry

    with db.connection() as conn:
        conn.execute("UPDATE download_jobs SET status = 'completed', progress = 100, completed_at = now(), "
                     "ended_at = now()")
        for index, user in enumerate(users):
            user["activeDownloads"] = index % active_every == 0
            if not user["activeDownloads"]:
                continue
            job = conn.execute(
                "UPDATE download_jobs SET status = 'downloading', progress = 40, completed_at = NULL, ended_at = NULL "
                "WHERE id = (SELECT id FROM download_jobs WHERE user_id = %s ORDER BY created_at LIMIT 1) "
                "RETURNING id", (user["id"],)).fetchone()["id"]
            DownloadTelemetry(str(job), attempt=1, status="downloading", progress=40.0,
                              updated_at=datetime.now(UTC)).save()


def seed_instance(client, make_user, users: int, path: Path) -> dict[str, Any]:
    """The demo catalog and calendar, ``users`` accounts; their tokens and targets written to ``path``."""
    from chalicelib import cache
    from chalicelib.calendar import fill
    from chalicelib.catalog import demo

    started = time.perf_counter()
    demo.load_default()
    fill.load_demo_default()
    ids = catalog_ids()
    rng = random.Random(21)  # noqa: S311 - a reproducible seed, nothing secret
    seeded = [seed_user(client, make_user, rng, ids) for _ in range(users)]
    settle_downloads(seeded)
    cache.get_redis().flushdb()  # the served run starts cold, as after a deploy
    path.write_text(json.dumps({"users": seeded, "titles": ids["titles"]}))
    return {"users": len(seeded), "titles": len(ids["titles"]), "movies": len(ids["movies"]),
            "episodes": len(ids["episodes"]), "seconds": round(time.perf_counter() - started, 1)}
