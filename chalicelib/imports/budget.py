"""How long an imports job may keep going in this invocation before it hands over to a new message."""

from __future__ import annotations

import time
from typing import Any

MARGIN_SECONDS = 20.0  # left for the step under way, the hand-over message and the reply to SQS
DEFAULT_SECONDS = 240.0  # without a Lambda context (a direct call): a Lambda's worth


class Budget:
    """Time left in this invocation: the Lambda context's remaining time when there is one."""

    def __init__(self, context: Any = None, seconds: float = DEFAULT_SECONDS) -> None:
        self._context = context if hasattr(context, "get_remaining_time_in_millis") else None
        self._deadline = time.monotonic() + seconds

    def remaining(self) -> float:
        if self._context is not None:
            return self._context.get_remaining_time_in_millis() / 1000
        return self._deadline - time.monotonic()

    def left(self, reserve: float = 0.0) -> bool:
        """Whether there is time for another step (needing ``reserve`` seconds on top of the margin)."""
        return self.remaining() > MARGIN_SECONDS + reserve
