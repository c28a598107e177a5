"""`make dev`: the whole of /seen/ on this machine, without Docker.

Postgres and Redis (reused when reachable, else private ones under .data/), a
moto server as S3/SQS/DynamoDB (or LocalStack if it already answers), the
migrations and AWS resources, the production server (``python -m server``:
gunicorn serving the SPA and the API, as at home) behind the edge on :8080 and :8000 (``embedded.edge``:
``/stream/`` to the worker, as Caddy does at home), the event
pump and scheduler, the imports consumer, and the worker. A process that dies is restarted (with back-off)
while the others keep serving; only Ctrl-C (or SIGTERM) stops all of it.
"""

from __future__ import annotations

import argparse
import functools
import os
import signal
import sys
import threading
import urllib.request
from pathlib import Path

from chalicelib.config import ConfigError, Settings
from embedded import instance_secrets, services
from embedded.services import ROOT, VENV_BIN, Started
from embedded.supervisor import Supervisor


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="make dev")
    parser.add_argument("--gateway-port", type=int, default=8080)
    parser.add_argument("--api-port", type=int, default=8000)
    parser.add_argument("--aws-port", type=int, default=4566, help="moto server port when one is started")
    parser.add_argument("--no-worker", action="store_true")
    parser.add_argument("--web-workers", type=int, default=2, help="production server worker processes")
    parser.add_argument("--stream-port", type=int, default=8090,
                        help="the worker's stream server, proxied by the gateway at /stream/ (0: any free port)")
    parser.add_argument("--no-demo-indexer", action="store_true",
                        help="do not start the fake Torznab indexer when no indexer is configured")
    parser.add_argument("--web-dist", type=Path, default=ROOT / "frontend" / "dist",
                        help="the built SPA the gateway serves (a private build, e.g. for the e2e tests)")
    return parser.parse_args()


def prepare(started: Started, args: argparse.Namespace) -> dict[str, str]:
    """Bring the backing services up and return the environment for the app processes."""
    # The instance secrets, made once under .data/secrets/ and reused (an explicit variable wins).
    os.environ.update(instance_secrets.ensure(ROOT / ".data" / "secrets", os.environ))
    Settings.from_env({**os.environ, "SEEN_STAGE": "local"})  # a bad setting stops us before anything starts
    database_url = services.ensure_postgres(
        started, os.environ.get("DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/seen"))
    redis_url = services.ensure_redis(started, os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0"))
    endpoint = services.ensure_aws(started, os.environ.get("AWS_ENDPOINT_URL",
                                                           f"http://127.0.0.1:{args.aws_port}"), args.aws_port)
    env = {**os.environ, **services.aws_env(endpoint), "SEEN_STAGE": "local", "DATABASE_URL": database_url,
           "REDIS_URL": redis_url, "PYTHONPATH": f"{ROOT}{os.pathsep}{ROOT / 'localstack'}",
           "PYTHONUNBUFFERED": "1", **library_env(endpoint)}
    os.environ.update(env)
    from chalicelib import awsinit
    from chalicelib.db import migrate

    print(f"/seen/: migrations applied: {migrate.apply(database_url)}", flush=True)
    awsinit.ensure_resources(cors_origins=(f"http://127.0.0.1:{args.gateway_port}",
                                           f"http://localhost:{args.gateway_port}"))
    load_demo_catalog()
    return env


def library_env(endpoint: str) -> dict[str, str]:
    """The media library: a default root under .data/ (drop a video in, it is indexed within seconds)
    and presigned stream URLs signed for the S3 endpoint the browser reaches (the moto server here)."""
    root = ROOT / ".data" / "library"
    root.mkdir(parents=True, exist_ok=True)
    return {"LIBRARY_ROOTS": os.environ.get("LIBRARY_ROOTS") or str(root),
            "LIBRARY_SCAN_INTERVAL": os.environ.get("LIBRARY_SCAN_INTERVAL") or "10",
            "SEEN_S3_PUBLIC_ENDPOINT": os.environ.get("SEEN_S3_PUBLIC_ENDPOINT") or endpoint}


def load_demo_catalog() -> None:
    """Without a TMDB key, /seen/ runs on the bundled demo catalog (idempotent upserts, under 2 s);
    with one, the catalog sync jobs run once now."""
    from chalicelib import db
    from chalicelib.config import get_settings

    if get_settings().catalog.tmdb_enabled:
        # The schedules first fire hours from now: sync once at start (recorded as trigger "startup").
        from chalicelib.catalog import sync

        for job in sync.JOBS:
            result = sync.run_job(job, trigger="startup")
            print(f"/seen/: catalog sync {job}: {result['status']}", flush=True)
        db.reset()
        return
    from chalicelib.catalog import demo

    stats = demo.load_default()
    from chalicelib.calendar import fill

    fill.load_demo_default()  # upcoming releases and an episode schedule relative to today
    db.reset()  # the app processes open their own connections
    print(f"/seen/: demo catalog loaded: {stats['titles']} titles in {stats['ms']} ms", flush=True)


DEMO_INDEXER = "Demo indexer (local)"


def start_demo_indexer(env: dict[str, str]) -> object | None:
    """With no indexer configured (or only this demo one), a fake Torznab indexer with releases of every
    demo-catalog title (short real clips, made once under .data/demo-media/) seeded on 127.0.0.1, registered
    as "Demo indexer (local)", so Get -> Play works out of the box. Its peers are on loopback: downloads may
    use private addresses then (unless SEEN_DOWNLOAD_ALLOW_PRIVATE says no)."""
    from chalicelib import db
    from chalicelib.sources import queries
    from embedded.fakes.torznab import start_demo

    with db.connection() as conn:
        rows = queries.indexer_list(conn)
    if any(row["name"] != DEMO_INDEXER for row in rows):
        return None
    indexer = start_demo(ROOT / ".data" / "demo-indexer")
    with db.connection() as conn:
        if rows:
            queries.indexer_update(
                conn, id=rows[0]["id"], name=DEMO_INDEXER, url=indexer.url, api_key_ciphertext=None, key_id=None,
                categories=[], enabled=rows[0]["enabled"], url_changed=True)
        else:
            queries.indexer_insert(conn, name=DEMO_INDEXER, url=indexer.url, api_key_ciphertext=None,
                                   key_id=None, categories=[], enabled=True)
    db.reset()
    env.setdefault("SEEN_DOWNLOAD_ALLOW_PRIVATE", "true")
    # Its peer is TCP only on loopback: uTP first would add libtorrent's ~4 s uTP connect timeout to the
    # newcomer's first Play. With a real indexer configured (no demo one) the worker keeps uTP on.
    env.setdefault("SEEN_TORRENT_UTP", "false")
    print(f"/seen/: {DEMO_INDEXER} at {indexer.url} (releases of {len(indexer.catalog.titles)} demo titles, "
          "made and seeded when first searched)", flush=True)
    return indexer


def log_dir() -> Path:
    """Where each process's log goes: .data/logs, or SEEN_LOG_DIR (a test's private stack keeps its own)."""
    return Path(os.environ.get("SEEN_LOG_DIR") or ROOT / ".data" / "logs")


def start_app(started: Started, args: argparse.Namespace, env: dict[str, str]) -> Supervisor:
    """Start the app's processes under a supervisor that restarts any of them when it dies."""
    supervisor = Supervisor(started)
    logs = log_dir()
    logs.mkdir(parents=True, exist_ok=True)
    python = str(VENV_BIN / "python")
    stream_port = 0 if args.no_worker else (args.stream_port or services.free_port())
    internal_port = services.free_port()
    # The production server (gunicorn, as at home) serves the SPA and the API on a loopback port of its own.
    server = [python, "-m", "server", "--bind", f"127.0.0.1:{internal_port}", "--workers", str(args.web_workers),
              "--dist", str(args.web_dist), "--media-origin", env["SEEN_S3_PUBLIC_ENDPOINT"]]
    supervisor.add("server", functools.partial(services.spawn, server, env=env, log=logs / "server.log"))
    # In front of it on both public ports, as Caddy at home: /stream/ goes to the worker's Range server on an
    # asyncio loop (a stream waiting for pieces holds no request thread), the rest to the server, with the
    # client's address in X-Forwarded-For.
    edge = [python, "-m", "embedded.edge", "--bind", f"127.0.0.1:{args.gateway_port}",
            "--bind", f"127.0.0.1:{args.api_port}", "--api-port", str(internal_port),
            "--stream-port", str(stream_port), "--max-body-bytes", str(Settings.from_env(env).max_body_bytes)]
    supervisor.add("edge", functools.partial(services.spawn, edge, env=env, log=logs / "edge.log"))
    # Worker events (and the schedules) never wait behind an import: the imports consumer is a process of its own.
    supervisor.add("events pump", functools.partial(
        services.spawn, [python, "-m", "embedded.pump", "--queues", "events"], env=env, log=logs / "pump.log"))
    supervisor.add("imports consumer", functools.partial(
        services.spawn, [python, "-m", "embedded.pump", "--queues", "imports"], env=env, log=logs / "imports.log"))
    if not args.no_worker:
        # The worker gets AWS access and the stream secret only: no database URL or other secret, ever.
        worker_env = {k: v for k, v in env.items() if k != "DATABASE_URL" and not _other_secret(k)}
        worker_env["SEEN_STREAM_PORT"] = str(stream_port)
        supervisor.add("worker", functools.partial(
            services.spawn, [python, "-m", "worker"], env=worker_env, log=logs / "worker.log"))
    return supervisor


def _other_secret(name: str) -> bool:
    """An instance secret (or its file) the worker has no use for."""
    return any(name in (secret.variable, f"{secret.variable}_FILE") for secret in instance_secrets.INSTANCE_SECRETS
               if secret.variable not in instance_secrets.WORKER_SECRETS)


def ready(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status == 200
    except Exception:
        return False


def main() -> None:
    args = parse_args()
    started = Started()
    demo_indexer = None
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    try:
        try:
            env = prepare(started, args)
        except ConfigError as exc:  # one clear line naming the variable, not a traceback
            sys.exit(f"/seen/: configuration error: {exc}")
        demo_indexer = None if args.no_demo_indexer else start_demo_indexer(env)
        supervisor = start_app(started, args, env)
        base = f"http://127.0.0.1:{args.gateway_port}"
        # Supervised from the start: a process that dies while the others come up is restarted too.
        services.wait_until(lambda: supervisor.tick() or ready(base + "/api/v1/health/ready") or stop.is_set(),
                            "the API", 60)
        print(f"\n/seen/ is running at {base}  (API also at http://127.0.0.1:{args.api_port})\n"
              f"logs: {log_dir()}   Ctrl-C stops everything.\n", flush=True)
        supervisor.run(stop)  # a process that dies is restarted; only Ctrl-C or SIGTERM ends this
    finally:
        print("/seen/: stopping...", flush=True)
        started.stop()
        if demo_indexer is not None:
            demo_indexer.stop()
        print("/seen/: stopped", flush=True)


if __name__ == "__main__":
    main()
