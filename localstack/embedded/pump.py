"""`python -m embedded.pump`: the local stand-in for Lambda's event sources."""

from __future__ import annotations

import json
import signal
import sys
import threading

from embedded.lambdas import Scheduler, SqsPump


def log(message: str, **fields) -> None:
    print(json.dumps({"service": "seen-pump", "message": message, **fields}), flush=True)


def main() -> None:
    from app import app
    from chalicelib import aws

    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    pump = SqsPump(app, aws.client("sqs"), stop, log)
    scheduler = Scheduler(app, stop, log)
    log("started", queues=[c.queue for c in pump.configs], schedules=[c.name for c in scheduler.configs])
    threads = [threading.Thread(target=pump.run, daemon=True), threading.Thread(target=scheduler.run, daemon=True)]
    for thread in threads:
        thread.start()
    stop.wait()
    for thread in threads:
        thread.join(timeout=10)
    log("stopped")
    sys.exit(0)


if __name__ == "__main__":
    main()
