"""Imports messages that still arrive on the worker-events queue go on to the imports queue.

Before imports had a queue of their own (issue 33), ``imports.parse`` and ``imports.apply`` were sent to
``seen-worker-events``. Messages in flight when a deployment switches over would otherwise reach an events
consumer with no handler for them, be logged and dropped, and leave their import waiting forever. Registered
when the app imports the imports routes, as every domain's event handlers are.
"""

from __future__ import annotations

from chalicelib.events import on_event
from chalicelib.imports import storage
from chalicelib.logs import get_logger
from chalicelib.messages import ImportApply, ImportParse


def forward(message: ImportParse | ImportApply) -> None:
    storage.enqueue(message)  # raises when SQS fails: the record is redelivered, never lost
    get_logger().info("import message moved to its queue", extra={
        "action": "import_message_forwarded", "import_id": str(message.import_id), "type": message.type})


on_event("imports.parse", model=ImportParse)(forward)
on_event("imports.apply", model=ImportApply)(forward)
