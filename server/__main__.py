"""`python -m server`: /seen/'s production server (home, `make dev`, the tests).

    python -m server --bind 0.0.0.0:8000 --workers 4 --dist /app/dist --migrate

``--migrate`` applies pending database migrations once, before any worker
starts (under a Postgres advisory lock, so several servers starting together
do not race). ``/stream/`` is not served here: Caddy (home) and ``embedded.edge``
(``make dev``) send it to the worker's Range server, so a stream waiting for pieces
holds no request thread. ``--edge`` when clients connect directly.
"""

from __future__ import annotations

import argparse
import functools
import json
import os
import sys
from pathlib import Path
from typing import Any

from chalicelib.config import ConfigError, get_settings
from chalicelib.db import migrate
from server import metrics, preload
from server.front import Front
from server.serve import Server, options
from server.wsgi import ApiAdapter, draining


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    env = os.environ
    parser = argparse.ArgumentParser(prog="python -m server", description="Serve /seen/ (SPA + API)")
    parser.add_argument("--bind", action="append", help="HOST:PORT, repeatable (default 127.0.0.1:8000)")
    parser.add_argument("--workers", type=int, default=int(env.get("SEEN_WEB_WORKERS", "4")))
    parser.add_argument("--threads", type=int, default=int(env.get("SEEN_WEB_THREADS", "8")))
    parser.add_argument("--timeout", type=int, default=int(env.get("SEEN_WEB_TIMEOUT", "120")),
                        help="seconds a silent worker lives before it is replaced")
    parser.add_argument("--graceful-timeout", type=int, default=int(env.get("SEEN_WEB_GRACEFUL_TIMEOUT", "30")))
    parser.add_argument("--dist", type=Path, default=Path(env["SEEN_WEB_DIST"]) if env.get("SEEN_WEB_DIST") else None,
                        help="the built SPA to serve (none: API only)")
    parser.add_argument("--media-origin", help="origin of presigned media URLs when it is not this one (CSP)")
    parser.add_argument("--edge", action="store_true", help="no proxy in front: ignore X-Forwarded-For")
    parser.add_argument("--migrate", action="store_true", help="apply database migrations first")
    args = parser.parse_args(argv)
    args.bind = args.bind or ["127.0.0.1:8000"]
    return args


def build_app(args: argparse.Namespace) -> Any:
    """The WSGI application (called in the master: the app is imported once and inherited by the workers)."""
    from app import app  # lazy: the whole API; --help and a configuration error answer without it

    settings = get_settings()
    timeout = float(os.environ.get("SEEN_REQUEST_TIMEOUT", "30"))
    api = ApiAdapter(app, settings.max_body_bytes, timeout)
    from chalicelib.mediaaccounts.service import media_server_origins  # lazy: with the API, as above

    front = Front(api, dist=args.dist, edge=args.edge, media_origin=args.media_origin,
                  media_servers=media_server_origins)
    print(json.dumps({"service": "seen-web", "message": "preloaded", **preload.warm_and_freeze()}), flush=True)
    return draining(front)


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    try:
        settings = get_settings()
    except ConfigError as exc:  # one clear line naming the variable, not a traceback
        sys.exit(f"/seen/: configuration error: {exc}")
    if args.migrate:
        count = migrate.apply(settings.database_url)
        print(json.dumps({"service": "seen-web", "message": "migrations applied", "count": count}), flush=True)
    proxies = ",".join(str(net) for net in settings.auth.trusted_proxies)
    config = options(args.bind, args.workers, args.threads, proxies, timeout=args.timeout,
                     graceful_timeout=args.graceful_timeout)
    metrics.prepare_dir()  # before the workers fork: they share their counters there
    Server(functools.partial(build_app, args), {**config, "child_exit": metrics.child_exit}).run()


if __name__ == "__main__":
    main()
