"""The cyclic garbage collector paused around work that builds many short-lived objects which form no cycle.

Scoring 10,000 candidates or computing a recommendation snapshot makes tens of thousands of records that live
until the call returns: the collector would only walk them again and again (a tenth of the call in young
passes) and, once they are promoted, sometimes walk the whole heap of a long-running process mid-call.
Reference counting frees as usual.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def paused() -> Iterator[None]:
    """No cyclic collection inside the block; a collector paused by someone else stays paused."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
