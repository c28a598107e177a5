"""The imports consumer: one message of ``seen-import-commands`` per invocation (``app.import_jobs``).

Parse and apply run here, never on the worker-events queue, so a big import delays no worker event.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from chalicelib.events import partial_batch


def handle_batch(records: Iterable[Any], context: Any = None) -> dict[str, list[dict[str, str]]]:
    """Run each record's job within the invocation's remaining time; failed records are reported for
    redelivery (a malformed one lands in the dead-letter queue after the redrive limit)."""
    from chalicelib.imports import jobs  # the readers only when a job runs, not on an HTTP cold start
    from chalicelib.imports.budget import Budget
    from chalicelib.messages import ImportParse, parse_import_command

    def run(body: str) -> None:
        command = parse_import_command(body)
        job = jobs.parse if isinstance(command, ImportParse) else jobs.apply
        job(command.import_id, Budget(context))

    return partial_batch(records, run, "import_job")
