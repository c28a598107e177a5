"""The server master loads what requests would load lazily, makes the AWS clients, and freezes the heap.

Run in a child interpreter: freezing is for the life of a process, and the test
runner's own heap is not the server's.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

from embedded.services import ROOT

PROBE = """
import gc, json, pkgutil, sys
import app, chalicelib
from server.preload import SKIPPED, warm_and_freeze
from chalicelib import aws
from chalicelib.telemetry import DownloadTelemetry

done = warm_and_freeze()
gc.collect()
tracked = len(gc.get_objects())
s3 = aws.client("s3")
_ = DownloadTelemetry._get_connection().connection.client
gc.collect()
names = [i.name for i in pkgutil.walk_packages(chalicelib.__path__, "chalicelib.") if not i.name.endswith(".__main__")]
print(json.dumps({**done, "tracked": tracked, "after_clients": len(gc.get_objects()),
                  "frozen_now": gc.get_freeze_count(),
                  "otlp": [m for m in ("opentelemetry.sdk.trace", "opentelemetry.exporter") if m in sys.modules],
                  "missing": [n for n in names if n not in sys.modules and n not in SKIPPED]}))
"""


def probe() -> dict:
    result = subprocess.run([sys.executable, "-c", PROBE], cwd=ROOT, capture_output=True, text=True, timeout=120,
                            env={**os.environ, "PYTHONPATH": str(ROOT), "LOG_LEVEL": "WARNING"})
    assert result.returncode == 0, result.stderr[-2000:]
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_the_master_preloads_every_module_and_client_then_freezes_them():
    found = probe()
    assert found["missing"] == [], found["missing"]
    # The span exporter loads on the first span only when SEEN_OTLP_ENDPOINT is set (redis itself loads the
    # SDK's metrics part when installed; that much is not ours to skip).
    assert found["otlp"] == [], found["otlp"]
    # What a full collection in a worker walks is what is left unfrozen: a sliver of the app.
    assert found["frozen"] > 20 * found["tracked"], found
    # The clients a request asks for are the preloaded ones (botocore parsed their models in the master:
    # ~35k objects for S3 alone, ~30k for a pynamodb connection), so nothing new is parsed.
    assert found["after_clients"] - found["tracked"] < 1000, found
    assert found["frozen_now"] == found["frozen"], found
