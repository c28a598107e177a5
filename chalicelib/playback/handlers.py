"""Playback's handlers on the events queue (registered when ``app.py`` imports this module)."""

from __future__ import annotations

from chalicelib.events import on_event
from chalicelib.messages import PlaybackPrefetch


@on_event("playback.prefetch", model=PlaybackPrefetch)
def on_prefetch(message: PlaybackPrefetch) -> None:
    from chalicelib.playback import service  # the picks/sources stack only when a prefetch runs

    service.prefetch(message)
