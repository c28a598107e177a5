"""Engagement: what the household opens (title views, collection clicks), kept for 7 days.

``log_view(user_id, media_id)`` is the read side's hook (a title page view).
"""

from __future__ import annotations

from typing import Any


def log_view(user_id: Any, media_id: int) -> bool:
    """Record that ``user_id`` viewed title ``media_id`` today (see ``service.log_view``)."""
    from chalicelib.engagement import service

    return service.log_view(user_id, media_id)
