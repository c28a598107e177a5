"""Caps on requests waiting for bytes: per signed URL, per user and in all (429 beyond them).

A waiting request costs the server almost nothing (it sleeps on the event
loop), but each asks the engine to look again several times a second and
pulls the swarm toward its piece: one user opening a hundred waits must not
crowd out the household. Counts live in the event loop's thread only, so no
lock; the worker needs no database to enforce them (the user is the URL's
signed tag).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager

from worker.stream.source import StreamError

RETRY_AFTER = 2  # seconds: about when one of the waits ahead has its bytes or gives up


class Busy(StreamError):
    status, code = 429, "too_many_waiting"


class Waits:
    def __init__(self, per_url: int, per_user: int, total: int):
        self.per_url, self.per_user, self.total = per_url, per_user, total
        self.urls: Counter[str] = Counter()
        self.users: Counter[str] = Counter()
        self.count = 0

    def _refuse(self, url: str, user: str) -> str | None:
        if self.urls[url] >= self.per_url:
            return "Too many requests are waiting on this stream URL"
        if user and self.users[user] >= self.per_user:
            return "Too many of your stream requests are waiting"
        if self.count >= self.total:
            return "Too many stream requests are waiting on this server"
        return None

    @contextmanager
    def hold(self, url: str, user: str) -> Iterator[None]:
        """Count one waiting request of ``url`` (its signature) and ``user`` (its tag, "" = untagged URL)."""
        reason = self._refuse(url, user)
        if reason is not None:
            raise Busy(reason, retry_after=RETRY_AFTER)
        self.urls[url] += 1
        self.users[user] += 1
        self.count += 1
        try:
            yield
        finally:
            self.count -= 1
            for counter, key in ((self.urls, url), (self.users, user)):
                counter[key] -= 1
                if counter[key] <= 0:
                    del counter[key]
