"""Applying a file's prepared batches, one transaction each: on the run's connection, and for a file
whose batches write disjoint rows, on a second connection at the same time.

The principals are most of a full import, and their cost is the database's (resolving ids, foreign key
checks, index inserts): two writers keep both cores busy. Their batches hold whole titles, and a
title's credits are only ever written by the batch holding it (people: each person by one batch), so
the two never wait for each other except on the run's progress row, which each updates just before
it commits. A batch that commits
while an earlier one is still in flight is fine: a run that dies leaves the earlier one's segments
unstored, and the next run applies them.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from typing import Any

from chalicelib import db
from chalicelib.db import Conn
from chalicelib.imdb import store
from chalicelib.imdb.pipeline import Prepared
from chalicelib.imdb.rows import Dataset
from chalicelib.imdb.runs import Run

# Files whose batches write disjoint rows only. Not title.basics (the search_words trigger adds words
# that two batches may share: they would wait on each other, in any order) nor title.episode (seasons).
PARALLEL = frozenset({"name.basics", "title.principals"})


class Writers:
    """One file's batches taken in turn by one or two writer loops."""

    def __init__(self, run: Run, dataset: Dataset, batches: Iterator[Prepared], deadline: float | None,
                 on_batch: Callable[[Run], None] | None) -> None:
        self.run, self.dataset, self.deadline, self.on_batch = run, dataset, deadline, on_batch
        self._batches = batches
        self._take, self._progress = threading.Lock(), threading.Lock()
        self.stop = threading.Event()
        self.out_of_time = False
        self.error: BaseException | None = None

    def _next(self) -> Prepared | None:
        with self._take:
            if self.stop.is_set():
                return None
            batch = next(self._batches, None)
        if batch is None or self.stop.is_set():
            return None
        if self.deadline is not None and time.monotonic() > self.deadline:
            self.out_of_time = True
            self.stop.set()
            return None
        return batch

    def loop(self, conn: Any) -> None:
        while (batch := self._next()) is not None:
            self._apply(conn, batch)
            if self.on_batch:
                self.on_batch(self.run)

    def _apply(self, conn: Conn, batch: Prepared) -> None:
        """One transaction: the changed keys' rows, the segments' new hashes, the run's progress."""
        name = self.dataset.name
        with conn.transaction():
            if batch.rows:
                store.apply_batch(conn, name, batch.rows, batch.stats)
            store.store_segments(conn, name, batch.segments)
            with self._progress:
                self.run.files[name].merge(batch.stats)
                self.run.rows_done += batch.lines
                self.run.save(conn)

    def second_writer(self) -> None:
        try:
            with db.dedicated_connection() as conn:
                self.loop(conn)
        except BaseException as exc:  # raised on the run's thread once both writers stopped
            self.error = exc
            self.stop.set()


def apply_all(conn: Conn, writers: Writers) -> bool:
    """Apply every batch; False when the deadline stopped it. Errors of either writer are raised."""
    second = None
    if writers.dataset.name in PARALLEL:
        second = threading.Thread(target=writers.second_writer, name="imdb-write", daemon=True)
        second.start()
    try:
        writers.loop(conn)
    finally:
        writers.stop.set()
        if second is not None:
            second.join()
    if writers.error is not None:
        raise writers.error
    return not writers.out_of_time
