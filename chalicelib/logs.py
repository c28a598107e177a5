"""The one structured logger (Powertools Logger, JSON lines).

Event names go in ``extra={"action": ...}``; values are fields, never
formatted into the message; secrets are never logged.

Every line logged while a stream is answered carries that stream's fields (``stream_fields``): ``sessionId``
(the playback session the URL names), ``pickId``, ``infohash``, ``fileIndex`` and ``job_id`` where known, so one
playback can be followed across the API and the worker. A magnet link is never written whole: a filter on both
loggers cuts any ``magnet:?`` value down to its info hash, whatever logged it (an engine's error, a message).
"""

from __future__ import annotations

import contextlib
import logging
import re
from collections.abc import Iterator
from contextvars import ContextVar
from functools import lru_cache
from typing import Any

from aws_lambda_powertools import Logger

from chalicelib.config import get_settings

# Per request (a contextvar: a gunicorn thread's or an asyncio task's own), never process-wide.
_STREAM: ContextVar[dict[str, Any] | None] = ContextVar("seen_stream_fields", default=None)
# The field names the issue fixes (camelCase, as the SPA and the playback sessions name them) -> kwargs.
STREAM_FIELDS = {"session_id": "sessionId", "pick_id": "pickId", "infohash": "infohash", "file_index": "fileIndex",
                 "job_id": "job_id"}
MAGNET = re.compile(r"magnet:\?[^\s\"'<>]*", re.IGNORECASE)
BTIH = re.compile(r"xt=urn:bt(?:ih|mh):([0-9a-z]+)", re.IGNORECASE)


def _named(fields: dict[str, Any]) -> dict[str, Any]:
    return {STREAM_FIELDS[key]: str(value) if key != "file_index" else int(value)
            for key, value in fields.items() if value is not None}


@contextlib.contextmanager
def stream_fields(**fields: Any) -> Iterator[None]:
    """Every log line inside the block carries these stream fields (``session_id``, ``pick_id``, ``infohash``,
    ``file_index``, ``job_id``; None ones are left out). Nested blocks add to the outer one's."""
    token = _STREAM.set({**(_STREAM.get() or {}), **_named(fields)})
    try:
        yield
    finally:
        _STREAM.reset(token)


def add_stream_fields(**fields: Any) -> None:
    """Fields learnt inside a ``stream_fields`` block (the job's hash once it is read, the file once chosen);
    outside one, nothing."""
    current = _STREAM.get()
    if current is not None:
        _STREAM.set({**current, **_named(fields)})


def redact_magnets(text: str) -> str:
    """``text`` with each magnet link cut to ``magnet:<info hash>`` (trackers, names and peers dropped)."""

    def short(found: re.Match[str]) -> str:
        hashed = BTIH.search(found.group(0))
        return f"magnet:<{hashed.group(1).lower() if hashed else 'redacted'}>"

    return MAGNET.sub(short, text)


class _StreamFilter(logging.Filter):
    """Adds the current stream's fields to each record and cuts magnet links out of its message and fields."""

    def filter(self, record: logging.LogRecord) -> bool:
        fields = _STREAM.get()
        if fields:
            for key, value in fields.items():
                record.__dict__.setdefault(key, value)
        if isinstance(record.msg, str) and "magnet:" in record.msg.lower():
            record.msg = redact_magnets(record.msg)
        if isinstance(record.args, tuple) and record.args:
            record.args = tuple(redact_magnets(a) if isinstance(a, str) else a for a in record.args)
        for key, value in record.__dict__.items():
            if isinstance(value, str) and "magnet:" in value.lower():
                record.__dict__[key] = redact_magnets(value)
        return True


_FILTER = _StreamFilter()


def _with_filter(logger: Logger, service: str) -> Logger:
    # One stdlib logger per service name, however many Powertools wrappers are made of it: filter it once.
    if _FILTER not in logging.getLogger(service).filters:
        logger.addFilter(_FILTER)
    return logger


@lru_cache(maxsize=1)
def get_logger() -> Logger:
    # "seen-api", not "seen": Chalice owns the stdlib logger named after the app.
    return _with_filter(Logger(service="seen-api", level=get_settings().log_level), "seen-api")


def worker_logger(level: str = "INFO") -> Logger:
    return _with_filter(Logger(service="seen-worker", level=level), "seen-worker")
