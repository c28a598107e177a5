"""Engagement: what the household opens (title views, collection clicks), kept for 7 days.

``log_view(user_id, media_id)`` is the read side's hook (a title page view).
"""

from __future__ import annotations

from chalicelib.engagement.service import log_view

__all__ = ["log_view"]
