"""The one structured logger (Powertools Logger, JSON lines).

Event names go in ``extra={"action": ...}``; values are fields, never
formatted into the message; secrets are never logged.
"""

from __future__ import annotations

from functools import lru_cache

from aws_lambda_powertools import Logger

from chalicelib.config import get_settings


@lru_cache(maxsize=1)
def get_logger() -> Logger:
    # "seen-api", not "seen": Chalice owns the stdlib logger named after the app.
    return Logger(service="seen-api", level=get_settings().log_level)


def worker_logger(level: str = "INFO") -> Logger:
    return Logger(service="seen-worker", level=level)
