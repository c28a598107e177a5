"""A media server sync through the imports consumer process, against a fake Jellyfin on loopback (issue 36).

Shared by the bench (20,000 items) and its smoke test in ``make test`` (a few hundred): a generated
library served by ``FakeJellyfin``, a server added through the service, and a sync asked for as the API
does (a message on the imports queue) and run by ``python -m embedded.pump --queues imports`` as its own
process, whose peak RSS is read from ``/proc``. The reference fetches the same ``/Items`` pages and
decodes them, with no matching or storing, from a process of its own as the consumer does.

The consumer is warmed by a small server's sync first, as a consumer that has run for a while is: its first
message loads the sync's modules and opens its connections (0.3-0.4 s, a Lambda's cold start), which is not
the time of any library's sync.

Each sync is timed three ways: until its status is ``completed`` (what the admin waits for: the mirror
written and pruned, the titles the catalog holds linked), until its catalog fill is done (the titles the
catalog lacked added and linked, right after, in the same consumer invocation), and until the consumer
has finished the message (the fill and the owned shows' calendar after it).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import httpx

from chalicelib.mediaservers.jellyfin import FIELDS
from embedded.fakes.jellyfin import FakeJellyfin
from embedded.fakes.media_library import generate
from tests.bench.imports_scenario import Consumer

ROOT = Path(__file__).resolve().parents[2]
PAGE = 500
DRAIN_SECONDS = 5.0  # a sync's message is deleted within a poll of its completion; leftovers of others never go
POLL_SECONDS = 0.02  # how often the state is read: a 0.1 s poll alone was a quarter of a re-sync's goal


@dataclass
class Result:
    seconds: float  # until the sync's status is completed (or failed)
    peak_rss_mb: float
    status: str
    counts: dict[str, int] = field(default_factory=dict)
    fill_seconds: float = 0.0  # from the sync's completion until its catalog fill is done
    consumer_seconds: float = 0.0  # from the request until the consumer has finished the message


def library_of(items: int) -> Any:
    """About ``items`` items: a third movies, the rest shows of 2 seasons x 5 episodes (13 items a show)."""
    movies = items // 3
    return generate(movies=movies, shows=max(1, (items - movies) // 13), seasons=2, episodes=5)


def add_server(fake: FakeJellyfin) -> str:
    from chalicelib.mediaservers import service
    from chalicelib.mediaservers.models import MediaServerCreate

    body = MediaServerCreate.model_validate({"kind": "jellyfin", "name": f"Bench {fake.port}", "url": fake.url,
                                             "token": fake.api_key, "allowPrivate": True})
    return str(service.create(body).id)


def sync(server_id: str, consumer: Consumer, timeout: float = 900) -> Result:
    """One sync, asked for as the API asks: until it is completed, then until its catalog fill is done, then
    until the consumer process has finished its message (the owned shows' calendar comes after the fill), so
    no sync's tail is timed as the next one's wait in the queue."""
    from chalicelib.mediaservers import service

    started = time.monotonic()
    sync_id = service.request_sync(server_id).sync_id
    while time.monotonic() - started < timeout:
        state = service.sync_status(server_id)
        if state.id == sync_id and state.status in ("completed", "failed"):
            done = time.monotonic()
            filled = _filled(sync_id, consumer, started + timeout) if state.status == "completed" else done
            _drained(time.monotonic() + DRAIN_SECONDS)
            final = service.sync_status(server_id)  # the fill lowers the unmatched count
            return Result(done - started, consumer.peak_rss_mb(), final.status, final.counts.model_dump(),
                          fill_seconds=filled - done, consumer_seconds=time.monotonic() - started)
        assert consumer.proc.poll() is None, "the imports consumer died"
        time.sleep(POLL_SECONDS)
    raise AssertionError(f"the sync did not finish within {timeout:.0f} s")


def _filled(sync_id: Any, consumer: Consumer, deadline: float) -> float:
    """When the sync's catalog fill was seen done."""
    from chalicelib import db
    from chalicelib.mediaservers import queries

    while time.monotonic() < deadline:
        with db.connection() as conn:
            state = queries.sync_fill_state(conn, id=sync_id)
        if state is not None and state["filled_at"] is not None:
            return time.monotonic()
        assert consumer.proc.poll() is None, "the imports consumer died"
        time.sleep(POLL_SECONDS)
    raise AssertionError("the catalog fill did not finish in time")


def _drained(deadline: float) -> None:
    """Until the consumer has deleted the sync's message, but bounded: the queue is shared with the rest of a
    test run, whose leftover messages must not hold a sync "unfinished" for ever (it hung a full run)."""
    while not _queue_empty() and time.monotonic() < deadline:
        time.sleep(POLL_SECONDS)


def _queue_empty() -> bool:
    """No message waiting on the imports queue nor being handled (the consumer deletes it when done)."""
    from chalicelib import aws
    from chalicelib.config import get_aws_settings

    attributes = aws.client("sqs").get_queue_attributes(
        QueueUrl=aws.queue_url(get_aws_settings().imports_queue),
        AttributeNames=["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"])["Attributes"]
    return attributes["ApproximateNumberOfMessages"] == attributes["ApproximateNumberOfMessagesNotVisible"] == "0"


def fetch_elsewhere(fake: FakeJellyfin, rounds: int) -> list[float]:
    """The reference, timed from another process as the consumer's sync fetches: ``fetch_pages`` ``rounds`` times
    after a warm-up, in a child process (its start-up not timed). Fetched from this process, which serves the
    fake, client and server take turns on one GIL: the fetch read 0.52 s against 0.31 s from another process,
    and the sync's ratio looked 60% better than it is."""
    env = {**os.environ, "PYTHONPATH": f"{ROOT / 'localstack'}:{ROOT}"}
    done = subprocess.run([sys.executable, "-m", "tests.bench.mediaservers_scenario", fake.url, fake.api_key,
                           str(rounds)], cwd=ROOT, env=env, capture_output=True, text=True, timeout=600, check=True)
    return [float(line) for line in done.stdout.split()]


def fetch_pages(fake: Any, pages: int | None = None) -> int:
    """Every /Items page of the sync (or the first ``pages``), fetched and decoded, nothing else (``fake``: what
    has its ``url`` and ``api_key``)."""
    count, start = 0, 0
    headers = {"Authorization": f'MediaBrowser Client="bench", Token="{fake.api_key}"'}
    with httpx.Client(timeout=60) as http:
        while pages is None or start < pages * PAGE:
            page = json.loads(http.get(f"{fake.url}/Items", headers=headers, params={
                "Recursive": "true", "IncludeItemTypes": "Movie,Series,Season,Episode", "StartIndex": start,
                "Limit": PAGE, "Fields": FIELDS}).content)
            count += len(page["Items"])
            start += len(page["Items"])
            if not page["Items"] or start >= page["TotalRecordCount"]:
                break
    return count


def run(items: int) -> tuple[Result, Result, FakeJellyfin]:
    """A first sync and an unchanged re-sync of a library of about ``items`` items (the fake is left running
    for the reference; the caller stops it)."""
    fake = FakeJellyfin(library_of(items)).start()
    consumer = Consumer()
    warm_up = FakeJellyfin(generate(movies=3, shows=1, seed=1)).start()
    try:
        # The fake builds every item's JSON on its first /Items request (a real server has its library at
        # hand): done before anything is timed, as the reference's warm-up does it before it is timed.
        fetch_pages(fake, pages=1)
        # The consumer runs for weeks: its first message loads the sync's modules and opens its connections
        # (0.4 s, a Lambda's cold start), which is no library's sync time. A small server's sync does it first.
        sync(add_server(warm_up), consumer)
        server_id = add_server(fake)
        first = sync(server_id, consumer)
        again = sync(server_id, consumer)
    except BaseException:
        fake.stop()
        raise
    finally:
        consumer.stop()
        warm_up.stop()
    return first, again, fake


def _fetch_main() -> None:
    """``python -m tests.bench.mediaservers_scenario URL KEY ROUNDS``: each round's seconds, one per line."""
    url, api_key, rounds = sys.argv[1], sys.argv[2], int(sys.argv[3])
    server = SimpleNamespace(url=url, api_key=api_key)
    fetch_pages(server)  # warm-up: the connection, the imports, the fake's cached pages
    for _ in range(rounds):
        started = time.perf_counter()
        fetch_pages(server)
        print(f"{time.perf_counter() - started:.6f}", flush=True)


if __name__ == "__main__":
    _fetch_main()

