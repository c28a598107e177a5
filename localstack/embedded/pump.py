"""`python -m embedded.pump`: the local stand-in for Lambda's event sources.

``--queues events`` runs the consumers of every queue but the imports queue, and the scheduler;
``--queues imports`` runs only the imports consumer (a process of its own, so a big import never
delays worker events); no flag runs everything in one process.
"""

from __future__ import annotations

import argparse
import json
import signal
import sys
import threading

from embedded.lambdas import Scheduler, SqsPump

GROUPS = ("events", "imports")


def log(message: str, **fields) -> None:
    print(json.dumps({"service": "seen-pump", "message": message, **fields}), flush=True)


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m embedded.pump")
    parser.add_argument("--queues", choices=GROUPS, default=None,
                        help="events: every consumer but imports, plus the scheduler; imports: only the imports "
                             "consumer; unset: everything")
    return parser.parse_args(argv)


def select(configs: list, group: str | None, imports_queue: str) -> list:
    """The SQS event sources a pump of ``group`` consumes."""
    if group is None:
        return configs
    return [c for c in configs if (c.queue == imports_queue) == (group == "imports")]


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    from app import app
    from chalicelib import aws
    from chalicelib.config import get_aws_settings

    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    pump = SqsPump(app, aws.client("sqs"), stop, log)
    pump.configs = select(pump.configs, args.queues, get_aws_settings().imports_queue)
    scheduler = Scheduler(app, stop, log)
    if args.queues == "imports":
        scheduler.configs = []
    log("started", group=args.queues or "all", queues=[c.queue for c in pump.configs],
        schedules=[c.name for c in scheduler.configs])
    threads = [threading.Thread(target=pump.run, daemon=True)]
    if scheduler.configs:
        threads.append(threading.Thread(target=scheduler.run, daemon=True))
    for thread in threads:
        thread.start()
    stop.wait()
    for thread in threads:
        thread.join(timeout=10)
    log("stopped")
    sys.exit(0)


if __name__ == "__main__":
    main()
