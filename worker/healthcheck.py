"""`python -m worker.healthcheck`: healthy while heartbeats keep reaching DynamoDB.

The heartbeat loop touches a file after each successful write; the container is
unhealthy once that file is older than three heartbeat intervals.
"""

from __future__ import annotations

import sys
import time

from chalicelib.config import WorkerSettings
from worker.heartbeat import health_file


def main() -> int:
    settings = WorkerSettings.from_env()
    try:
        age = time.time() - health_file(settings.staging_dir).stat().st_mtime
    except FileNotFoundError:
        print("no heartbeat yet")
        return 1
    limit = max(3 * settings.heartbeat_interval, 15)
    print(f"last heartbeat {age:.0f}s ago (limit {limit:.0f}s)")
    return 0 if age <= limit else 1


if __name__ == "__main__":
    sys.exit(main())
