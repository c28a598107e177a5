"""Control-plane-internal messages of playback (on the events queue, never seen by the worker).

The heartbeat must stay cheap, so it only enqueues :class:`PlaybackPrefetch`; the events consumer
(``chalicelib/events.py``) hands it to ``playback.handlers`` like a worker event.
"""

from __future__ import annotations

from typing import Literal
from uuid import UUID

from pydantic import Field

from chalicelib.messages import Message


class PlaybackPrefetch(Message):
    """A user's episode played past ``prefetch_at``: make the next one ready."""

    type: Literal["playback.prefetch"] = "playback.prefetch"
    user_id: UUID
    media_id: int = Field(ge=1)
    episode_id: int = Field(ge=1)  # the episode being played (the next one is looked up when handled)
