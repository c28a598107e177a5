"""The API under fuzzing: make dev's API server on a free port, on its own database with the demo catalog.

The fuzzer talks real HTTP to the same server ``make dev`` and home run (``python -m server``), so what it checks
is what a client meets: the routing, the edge policy, the views and the error
mapping. Everything outside is local: the test Postgres, the test Redis db, the
moto server, and TMDB/IGDB/Twitch pointed at a closed port (an admin may store
a TMDB key through the API; the calls it then makes must fail here, not reach
the internet).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import urllib.error
import urllib.request
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from cryptography.fernet import Fernet

from chalicelib import awsinit, cache
from embedded import services
from embedded.services import ROOT

LOGS = ROOT / ".data" / "logs"
PASSWORD = "fuzzing-is-not-guessing-0123"


@dataclass(frozen=True)
class FuzzServer:
    base_url: str
    token: str  # a signed-in account's access token
    log: Path


def _closed_port_url() -> str:
    return f"http://127.0.0.1:{services.free_port()}"


def server_env(database_url: str) -> dict[str, str]:
    nowhere = _closed_port_url()
    return {
        **os.environ, "DATABASE_URL": database_url, "PYTHONPATH": f"{ROOT}{os.pathsep}{ROOT / 'localstack'}",
        "PYTHONUNBUFFERED": "1", "TMDB_BASE_URL": nowhere, "IGDB_BASE_URL": nowhere,
        "TWITCH_TOKEN_URL": nowhere + "/oauth2/token", "SEEN_CATALOG_RETRIES": "0",
        # Following a channel reads YouTube: here a closed port (502 channel_unreachable), never the internet.
        "YOUTUBE_BASE_URL": nowhere, "YOUTUBE_ALLOW_PRIVATE": "true",
        "LIBRARY_ROOTS": str(ROOT / ".data" / "fuzz-library"),
        # A configured instance: admins can store the TMDB/Twitch secrets (without a key that is a 503).
        "SEEN_SETTINGS_KEY": Fernet.generate_key().decode(),
    }


def load_demo_catalog(env: dict[str, str]) -> None:
    """The bundled demo catalog, so ids in generated requests can hit real rows."""
    code = "from embedded.__main__ import load_demo_catalog; load_demo_catalog()"
    subprocess.run([sys.executable, "-c", code], env=env, cwd=ROOT, check=True, capture_output=True, timeout=120)


def _post_json(url: str, body: dict) -> dict:
    request = urllib.request.Request(url, data=json.dumps(body).encode(), method="POST",
                                     headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.loads(response.read())


def _live(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return response.status == 200
    except (OSError, urllib.error.URLError):
        return False


def sign_in(base_url: str) -> str:
    """Register the instance's first account (so an admin: admin routes are fuzzed past their 403)."""
    email = f"fuzz-{uuid.uuid4().hex[:8]}@seen.test"
    session = _post_json(base_url + "/api/v1/auth/register", {"email": email, "password": PASSWORD})
    assert session["user"]["role"] == "admin", session
    return session["accessToken"]


@contextmanager
def running_api(template_url: str) -> Iterator[FuzzServer]:
    """A fresh database copied from the template, the demo catalog, and make dev's API server on it."""
    database_url = services.with_database(template_url, f"seen_fuzz_{uuid.uuid4().hex[:8]}")
    services.create_database(database_url, template=services.database_name(template_url))
    started = services.Started()
    log = LOGS / "fuzz-api.log"
    log.unlink(missing_ok=True)
    try:
        env = server_env(database_url)
        load_demo_catalog(env)
        awsinit.ensure_resources()  # the bucket, queues and tables on the suite's moto server
        cache.get_redis().flushdb()  # the suite's Redis db: no rate-limit counts left by an earlier run
        port = services.free_port()
        proc = services.spawn([sys.executable, "-m", "server", "--bind", f"127.0.0.1:{port}", "--workers", "2",
                               "--edge"], env=env, log=log)
        started.processes.append(proc)
        base_url = f"http://127.0.0.1:{port}"
        services.wait_until(lambda: _live(base_url + "/api/v1/health/live"), "the API server", 60, proc)
        yield FuzzServer(base_url=base_url, token=sign_in(base_url), log=log)
    finally:
        started.stop()
        services.drop_database(database_url)
