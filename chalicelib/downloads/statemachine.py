"""The download state machine: the one table of allowed transitions.

::

    queued -> preparing -> downloading -> completed | failed | stalled
    stalled -> retrying -> preparing        any active state -> cancelled

Each edge says who may take it: the worker (``download.state`` events), the
reconciler (retries, giving up, silent workers) or the API (cancel). A worker
event may skip forward along the worker's own edges (``queued`` straight to
``downloading``) because SQS standard queues do not keep order: the
``preparing`` event can arrive after ``downloading``, and it is then stale.

Everything here is pure: it decides, the service writes.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from chalicelib.messages import DownloadState

Actor = Literal["api", "worker", "reconciler"]

ACTIVE = ("queued", "preparing", "downloading", "stalled", "retrying")
TERMINAL = ("completed", "failed", "cancelled")
# Statuses a worker is running (heartbeat staleness applies to them).
RUNNING = ("preparing", "downloading")
MAX_RETRIES = 3

_WORKER: frozenset[Actor] = frozenset({"worker"})
_RECONCILER: frozenset[Actor] = frozenset({"reconciler"})
_CANCEL: frozenset[Actor] = frozenset({"api", "worker"})

TRANSITIONS: dict[str, dict[str, frozenset[Actor]]] = {
    "queued": {"preparing": _WORKER, "cancelled": _CANCEL},
    "preparing": {"downloading": _WORKER, "failed": _WORKER, "cancelled": _CANCEL,
                  "stalled": frozenset({"worker", "reconciler"})},
    "downloading": {"completed": _WORKER, "failed": _WORKER, "cancelled": _CANCEL,
                    "stalled": frozenset({"worker", "reconciler"})},
    "stalled": {"retrying": _RECONCILER, "failed": _RECONCILER, "cancelled": _CANCEL},
    "retrying": {"preparing": _WORKER, "cancelled": _CANCEL},
    "completed": {},
    "failed": {},
    "cancelled": {},
}


def allowed(from_status: str, to_status: str, actor: Actor) -> bool:
    """True when ``actor`` may move a job directly from one status to the other."""
    return actor in TRANSITIONS.get(from_status, {}).get(to_status, frozenset())


def path(from_status: str, to_status: str, actor: Actor) -> tuple[str, ...] | None:
    """The shortest chain of ``actor``'s edges from one status to another (without the start).

    ``None`` when there is none. Only the worker's chains may be longer than
    one edge (see the module docstring); other actors move one edge at a time.
    """
    if from_status == to_status:
        return None
    if actor != "worker":
        return (to_status,) if allowed(from_status, to_status, actor) else None
    queue: deque[tuple[str, tuple[str, ...]]] = deque([(from_status, ())])
    seen = {from_status}
    while queue:
        status, chain = queue.popleft()
        for nxt, actors in TRANSITIONS[status].items():
            if actor not in actors or nxt in seen:
                continue
            if nxt == to_status:
                return (*chain, nxt)
            seen.add(nxt)
            queue.append((nxt, (*chain, nxt)))
    return None


@dataclass(frozen=True)
class JobState:
    """What the state machine needs to know about a job row."""

    status: str
    attempt: int
    progress: float
    bytes_done: int
    bytes_total: int | None
    retry_count: int = 0

    @classmethod
    def from_row(cls, row: Mapping[str, Any]) -> JobState:
        return cls(status=row["status"], attempt=row["attempt"], progress=float(row["progress"]),
                   bytes_done=row["bytes_done"], bytes_total=row["bytes_total"], retry_count=row["retry_count"])


@dataclass(frozen=True)
class Decision:
    """The outcome of one event: ``ignore`` (with a reason), ``progress`` or ``transition``."""

    kind: Literal["ignore", "progress", "transition"]
    reason: str = ""
    status: str = ""
    progress: float = 0.0
    bytes_done: int = 0
    bytes_total: int | None = None
    skipped: tuple[str, ...] = field(default=())

    @property
    def applies(self) -> bool:
        return self.kind != "ignore"


def _ignore(reason: str) -> Decision:
    return Decision("ignore", reason)


def decide_worker_event(job: JobState, event: DownloadState) -> Decision:
    """Decide what a ``download.state`` event does to ``job``.

    Stale (older attempt), duplicate and disallowed events change nothing;
    progress and bytes never go backwards; ``completed`` means 100%.
    """
    if job.status in TERMINAL:
        return _ignore("terminal")
    if event.attempt != job.attempt:
        return _ignore("stale_attempt" if event.attempt < job.attempt else "unknown_attempt")
    progress = max(job.progress, round(event.progress, 2))
    bytes_done = max(job.bytes_done, event.bytes_done)
    bytes_total = event.bytes_total if event.bytes_total is not None else job.bytes_total
    if event.status == job.status:
        if progress > job.progress or bytes_done > job.bytes_done or bytes_total != job.bytes_total:
            return Decision("progress", status=job.status, progress=progress, bytes_done=bytes_done,
                            bytes_total=bytes_total)
        return _ignore("duplicate")
    chain = path(job.status, event.status, "worker")
    if chain is None:
        return _ignore("not_allowed")
    if event.status == "completed":
        progress = 100.0
        if bytes_total is not None:
            bytes_done = max(bytes_done, bytes_total)
    return Decision("transition", status=event.status, progress=progress, bytes_done=bytes_done,
                    bytes_total=bytes_total, skipped=chain[:-1])


def decide_retry(job: JobState) -> Literal["retrying", "failed"] | None:
    """What the reconciler does with a stalled job whose back-off is over."""
    if job.status != "stalled":
        return None
    return "retrying" if job.retry_count < MAX_RETRIES else "failed"
