"""A process that recorded metrics exits promptly and keeps what it recorded.

The window's flush thread is a daemon: left running at exit it was frozen by interpreter shutdown, and when
that happened while it held the Redis pool's lock the process hung for ever in the pool's ``__del__``. The
exit handler stops and joins it, then flushes what is pending, so nothing recorded in the last seconds of a
process is lost either. Run in a child interpreter: exit is what is tested.
"""

from __future__ import annotations

import os
import subprocess
import sys

from embedded.services import ROOT

CHILD = """
import time
from chalicelib import cache
from chalicelib.observability import window
from chalicelib.observability.names import FALLBACK_SWITCHES

cache.get_redis().ping()  # as every process that records has (an import at exit is refused: no flush then)
window.add(FALLBACK_SWITCHES, 3)  # starts the flush thread; its first flush is FLUSH_SECONDS away
print(cache.Keys.metric_bucket(FALLBACK_SWITCHES.name, 60, int(time.time() // 60)), flush=True)
"""


def test_a_process_exits_at_once_with_its_last_records_flushed(redis_client):
    child = subprocess.run([sys.executable, "-c", CHILD], cwd=ROOT, capture_output=True, text=True, timeout=30,
                           env={**os.environ, "PYTHONPATH": str(ROOT), "LOG_LEVEL": "WARNING"})
    assert child.returncode == 0, child.stderr[-2000:]
    key = child.stdout.strip().splitlines()[-1]
    assert redis_client.hget(key, "total") in (b"3", "3"), "the records of the exit's last seconds were lost"
