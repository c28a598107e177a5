"""A job someone may be waiting on is looked at every tick, any other once a poll (worker.monitor)."""

from __future__ import annotations

import json
import time
from pathlib import Path
from types import SimpleNamespace

from chalicelib.messages import DownloadStart, can_start
from worker import monitor
from worker.engines.base import JobSpec, PayloadFile
from worker.jobs import ActiveJob
from worker.stream import report

MIB = 1024 * 1024


def job(source_type: str = "magnet") -> ActiveJob:
    command = DownloadStart(job_id="j", attempt=1, source_type=source_type, source="magnet:?xt=urn:btih:" + "a" * 40)
    return ActiveJob(command=command, spec=JobSpec("j", 1, source_type, command.source, None, Path("/tmp/j")),
                     engine=None)


def ctx(poll: float = 3.0):
    return SimpleNamespace(settings=SimpleNamespace(engines=SimpleNamespace(poll_interval=poll)))


def test_a_job_nobody_waits_on_is_looked_at_once_a_poll():
    calm, now = job(), time.monotonic()
    calm.looked_at = now
    looked = []
    for tick in range(1, 25):  # six seconds of ticks
        if monitor.due(ctx(), calm, now + tick * monitor.FAST_TICK):
            calm.looked_at = now + tick * monitor.FAST_TICK
            looked.append(tick * monitor.FAST_TICK)
    assert looked == [3.0, 6.0]


def test_a_hurried_job_is_looked_at_every_tick_until_its_hurry_ends():
    hurried, now = job(), time.monotonic()
    hurried.looked_at = now
    hurried.hurry(1.0)
    assert all(monitor.due(ctx(), hurried, now + t * monitor.FAST_TICK) for t in range(1, 4))
    assert not monitor.due(ctx(), hurried, now + 1.5)  # hurry over, and a poll not yet past


def test_a_short_poll_interval_is_not_slowed_down():
    calm, now = job(), time.monotonic()
    calm.looked_at = now
    assert monitor.due(ctx(0.1), calm, now + 0.1)


def files(job: ActiveJob, *entries: tuple[str, int, int, bool]) -> None:
    """The job's payload and its files_json as the monitor last wrote it."""
    job.payload = [PayloadFile(i, path, Path("/tmp") / path, size) for i, (path, size, _, _) in enumerate(entries)]
    job.files_json = json.dumps([{"index": i, "path": path, "size": size, "contiguousBytes": contiguous,
                                  "tailReady": tail} for i, (path, size, contiguous, tail) in enumerate(entries)])


def test_the_hurry_ends_once_the_file_asked_for_can_start():
    pack = job()
    pack.hurry(30)
    pack.stream_request = (1, 0, None, ())
    files(pack, ("S01E01.mkv", 900 * MIB, 900 * MIB, True), ("S01E02.mkv", 800 * MIB, 1 * MIB, True))
    report.settle(pack)
    assert pack.hurry_until > time.monotonic()  # E01 can start, but E02 was asked for
    files(pack, ("S01E01.mkv", 900 * MIB, 900 * MIB, True), ("S01E02.mkv", 800 * MIB, 2 * MIB, True))
    assert report.settle(pack) and pack.hurry_until == 0.0
    assert not report.settle(pack)  # ended once


def test_a_new_job_nobody_asked_about_calms_down_once_its_largest_video_can_start():
    film = job()
    film.hurry(30)
    files(film, ("Film.nfo", 1000, 1000, True), ("Film.mkv", 4000 * MIB, 3 * MIB, False),
          ("Sample.mkv", 30 * MIB, 30 * MIB, True))
    assert not report.settle(film) and film.hurry_until > time.monotonic()  # its index at the end not yet there
    files(film, ("Film.nfo", 1000, 1000, True), ("Film.mkv", 4000 * MIB, 3 * MIB, True),
          ("Sample.mkv", 30 * MIB, 30 * MIB, True))
    report.settle(film)
    assert film.hurry_until == 0.0


def test_a_file_can_start_with_its_start_and_index_or_in_order_without_its_tail():
    entry = {"size": 100 * MIB, "contiguousBytes": 2 * MIB, "tailReady": False}
    assert not can_start(entry, "magnet") and can_start(entry, "http")
    assert can_start({**entry, "tailReady": True}, "torrent")
    assert can_start({"size": MIB, "contiguousBytes": MIB}, "magnet")  # all of a small file
