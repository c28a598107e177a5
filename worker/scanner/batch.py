"""A scan's ``library.file_indexed`` events, sent many to a message.

One SQS message per file capped a scan at the queue's round trip (and the
API at one transaction per file). A scan instead collects its files' events
and sends them as ``library.files_indexed`` messages of up to ~250 KB (SQS
takes 256 KiB). What happens after a send is the caller's ``done`` callback,
run only for the files of a batch that went out: the scan records those files
(so they are skipped next time) and, in ``move`` mode, deletes their sources.
A batch that cannot be sent leaves its files unrecorded: the next scan tries
them again, and the API applies a repeated file exactly as the first time.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from chalicelib.messages import LibraryFileIndexed, LibraryFilesIndexed

MAX_FILES = 1_000  # the message model takes up to 2,000
MAX_BYTES = 250_000  # SQS's limit is 262,144 bytes; the rest is room for the envelope
ENVELOPE_BYTES = 200  # {"sentAt": ..., "type": "library.files_indexed", "files": [...]}
MAX_WAIT = 5.0  # seconds a collected event may wait for its batch to fill

Done = Callable[[list[LibraryFileIndexed]], None]


@dataclass
class EventBatch:
    send: Callable[[LibraryFilesIndexed], None]  # raises when the message could not be sent
    done: Done
    logger: Any
    sent: int = 0
    failed: int = 0
    _events: list[LibraryFileIndexed] = field(default_factory=list)
    _bytes: int = ENVELOPE_BYTES
    _started: float = field(default_factory=time.monotonic)

    def add(self, event: LibraryFileIndexed) -> None:
        size = len(event.to_json().encode()) + 1
        if self._events and (self._bytes + size > MAX_BYTES or len(self._events) >= MAX_FILES):
            self.flush()
        if not self._events:
            self._started = time.monotonic()
        self._events.append(event)
        self._bytes += size
        if time.monotonic() - self._started > MAX_WAIT:
            self.flush()  # slow files (real videos: probe, remux) are reported as they go, not at the end

    def flush(self) -> None:
        """Send what is collected as one message; a failure is logged and counted, and the scan goes on."""
        events, self._events, self._bytes = self._events, [], ENVELOPE_BYTES
        if not events:
            return
        try:
            self.send(LibraryFilesIndexed(files=events))
        except Exception as exc:  # the files are retried by the next scan; this one goes on
            self.failed += len(events)
            self.logger.warning("indexed files not reported, retried next scan", extra={
                "action": "library_batch_send_failed", "files": len(events), "error": str(exc)[:500]})
            return
        self.sent += len(events)
        self.done(events)
