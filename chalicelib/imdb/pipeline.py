"""Preparing batches on a thread of their own while the previous batch is applied.

Reading, hashing and converting a file is Python work; applying a batch is the database's. A reader
thread does the first one batch ahead of the writer, on a connection of its own (it reads the stored
segment hashes and may add an IMDb genre row): the two overlap, so a run costs about the larger of
the two instead of their sum. Batches cover disjoint segments, so reading ahead never sees a segment
the batch being applied writes. An error on the reader (a truncated file) is raised to the writer
where the failed batch would have come: everything before it is applied, it is not.
"""

from __future__ import annotations

import queue
import sys
import threading
from collections.abc import Generator, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from chalicelib import db
from chalicelib.db import Conn
from chalicelib.imdb import diff, parse, store
from chalicelib.imdb.genres import GenreIds
from chalicelib.imdb.parse import FileStats, Segment
from chalicelib.imdb.rows import Dataset

AHEAD = 2  # prepared batches waiting at most (memory: a batch is ~batch_rows lines)
# A batch gathers changed rows up to batch_rows, reading at most this many times batch_rows lines: a
# re-import with few changes applies a few large batches, not one per batch_rows lines read.
READ_FACTOR = 10
# While the reader runs Python, the writer waits for the GIL each time a statement returns: up to the
# switch interval (5 ms by default), a dozen times per batch. A shorter one keeps the writer's waits short.
SWITCH_INTERVAL = 0.0005


@dataclass
class Prepared:
    """One batch, ready to apply: its staging rows, the segments to store and what reading it counted."""

    rows: list[bytes]
    segments: bytes  # COPY rows for imdb_segments: what the changed segments hold now
    lines: int
    stats: FileStats = field(default_factory=FileStats)

    def add(self, other: Prepared) -> None:
        self.rows.extend(other.rows)
        self.segments += other.segments
        self.lines += other.lines
        self.stats.merge(other.stats)


@dataclass(frozen=True)
class Job:
    dataset: Dataset
    path: Path
    batch_rows: int
    force: bool


class _Done:
    pass


def _prepare(conn: Conn, job: Job, batch: list[Segment], genres: GenreIds | None) -> Prepared:
    name = job.dataset.name
    stored = {} if job.force else store.stored_segments(conn, name, [s.id for s in batch])
    stats = FileStats(read=sum(s.lines for s in batch))
    moved = [s for s in batch if job.force or stored.get(s.id) != s.hash]
    stats.unchanged += stats.read - sum(s.lines for s in moved)
    known = [s.id for s in moved if s.id in stored]
    keys = store.stored_keys(conn, name, known) if known else {}
    segments = [diff.changed(s, keys.get(s.id), job.dataset, stats, genres) for s in moved]
    rows = [row for segment in segments for row in segment.rows]
    return Prepared(rows, b"".join(map(_copy_row, segments)), stats.read, stats)


def _copy_row(changed: diff.Changed) -> bytes:
    keys, hashes = ",".join(map(str, changed.keys)), ",".join(map(str, changed.hashes))
    return f"{changed.segment.id}\t{changed.segment.hash}\t{{{keys}}}\t{{{hashes}}}\n".encode()


def _gathered(conn: Conn, job: Job, genres: GenreIds | None) -> Iterator[Prepared]:
    """Prepared read batches, merged until they hold batch_rows changed rows (or READ_FACTOR times that read)."""
    pending: Prepared | None = None
    for batch in parse.batches(parse.segments(job.path, job.dataset.header), job.batch_rows):
        prepared = _prepare(conn, job, batch, genres)
        if pending is None:
            pending = prepared
        else:
            pending.add(prepared)
        if len(pending.rows) >= job.batch_rows or pending.lines >= READ_FACTOR * job.batch_rows:
            yield pending
            pending = None
    if pending is not None:
        yield pending


def _read(job: Job, out: queue.Queue, stop: threading.Event) -> None:
    def put(item: Any) -> bool:
        while not stop.is_set():
            try:
                out.put(item, timeout=0.2)
                return True
            except queue.Full:
                continue
        return False

    try:
        with db.dedicated_connection() as conn:
            genres = GenreIds(conn) if job.dataset.name == "title.basics" else None
            for batch in _gathered(conn, job, genres):
                if not put(batch):
                    return
        put(_Done())
    except BaseException as exc:  # handed to the writer, raised there
        put(exc)


def prepared(job: Job) -> Generator[Prepared, None, None]:
    """The file's batches, prepared on a reader thread; leaving the loop early stops the reader."""
    out: queue.Queue = queue.Queue(maxsize=AHEAD)
    stop = threading.Event()
    reader = threading.Thread(target=_read, args=(job, out, stop), name=f"imdb-read-{job.dataset.name}",
                              daemon=True)
    interval = sys.getswitchinterval()
    sys.setswitchinterval(min(interval, SWITCH_INTERVAL))
    reader.start()
    try:
        while not isinstance(item := out.get(), _Done):
            if isinstance(item, BaseException):
                raise item
            yield item
    finally:
        stop.set()
        reader.join()
        sys.setswitchinterval(interval)
