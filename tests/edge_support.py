"""`make dev`'s edge (``python -m embedded.edge``) as the tests start it: a real process on a free port."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from embedded import services
from embedded.services import ROOT


@contextmanager
def edge(api_port: int, stream_port: int, log: Path) -> Iterator[tuple[str, int]]:
    """``python -m embedded.edge`` as `make dev` starts it, until the block ends (SIGTERM)."""
    port = services.free_port()
    env = {**os.environ, "PYTHONPATH": f"{ROOT}{os.pathsep}{ROOT / 'localstack'}"}
    started = services.Started()
    proc = services.spawn([sys.executable, "-m", "embedded.edge", "--bind", f"127.0.0.1:{port}",
                           "--api-port", str(api_port), "--stream-port", str(stream_port)], env=env, log=log)
    started.processes.append(proc)
    try:
        services.wait_until(lambda: services.port_open("127.0.0.1", port), "the edge", 30, proc)
        yield f"http://127.0.0.1:{port}", proc.pid
    finally:
        started.stop()
