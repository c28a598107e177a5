"""LocalStack's S3 in host mode (no Docker), as the tests start it: for what moto gets wrong about S3.

moto accepts a presigned POST over its ``content-length-range``, answers every CORS preflight with 403 and
returns no ``ChecksumSHA256`` on HEAD; LocalStack's S3 does all three as AWS does. It runs from its own venv
(``.venv-localstack``: ``make localstack-deps``, requirements-localstack.txt), made only where a Python >= 3.12
exists; without it the tests that need it are skipped and say why.
"""

from __future__ import annotations

import json
import os
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from embedded import services
from embedded.services import ROOT

VENV = ROOT / ".venv-localstack"
# Loading its S3 provider takes most of the start: 15 s measured on this 2-core machine while it was shared.
START_TIMEOUT_S = 120


def unavailable() -> str | None:
    """Why LocalStack cannot run here, or None when it can."""
    if not (VENV / ".installed").exists():
        return ("LocalStack is not installed (.venv-localstack): `make localstack-deps` makes it where a "
                "Python >= 3.12 exists and its packages install")
    return None


def s3_ready(endpoint: str) -> bool:
    try:
        with urllib.request.urlopen(endpoint + "/_localstack/health", timeout=2) as response:
            return json.load(response)["services"].get("s3") in ("available", "running")
    except (OSError, ValueError, KeyError):
        return False


def environment(port: int, home: Path) -> dict[str, str]:
    """Its own, not the suite's: no AWS_* or PYTHONPATH of ours (the repository's localstack/ folder is not it)."""
    return {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": str(home),
        "SERVICES": "s3", "EAGER_SERVICE_LOADING": "1",  # ready means S3 is loaded, not loaded on first call
        "GATEWAY_LISTEN": f"127.0.0.1:{port}", "LOCALSTACK_HOST": f"127.0.0.1:{port}",
        "FILESYSTEM_ROOT": str(home / "fs"), "LOCALSTACK_VOLUME_DIR": str(home / "volume"),
        # Offline and quiet: no analytics, no certificate download, no DNS server on port 53.
        "DISABLE_EVENTS": "1", "SKIP_SSL_CERT_DOWNLOAD": "1", "DNS_ADDRESS": "0",
    }


@contextmanager
def localstack_s3(workdir: Path) -> Iterator[str]:
    """LocalStack with S3 alone on a free port until the block ends; its endpoint. Its log: workdir/localstack.log."""
    port = services.free_port()
    started = services.Started()
    proc = services.spawn([str(VENV / "bin" / "python"), "-m", "localstack.runtime.main"],
                          env=environment(port, workdir), log=workdir / "localstack.log", cwd=workdir)
    started.processes.append(proc)
    endpoint = f"http://127.0.0.1:{port}"
    try:
        services.wait_until(lambda: s3_ready(endpoint), "LocalStack's S3", START_TIMEOUT_S, proc)
        yield endpoint
    finally:
        started.stop()
