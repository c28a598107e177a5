"""The imports consumer: one message of ``seen-import-commands`` per invocation (``app.import_jobs``): an
import's parse or apply, or a media server's sync (the other heavy background job).

Parse and apply run here, never on the worker-events queue, so a big import delays no worker event.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from chalicelib.events import partial_batch
from chalicelib.imports.budget import Budget
from chalicelib.messages import (
    ImportParse,
    ListSync,
    MediaServerAccountImport,
    MediaServerSyncCommand,
    parse_import_command,
)


def handle_batch(records: Iterable[Any], context: Any = None) -> dict[str, list[dict[str, str]]]:
    """Run each record's job within the invocation's remaining time; failed records are reported for
    redelivery (a malformed one lands in the dead-letter queue after the redrive limit)."""
    from chalicelib.imports import jobs  # lazy: the readers only when a job runs, not on an HTTP cold start

    def run(body: str) -> None:
        command = parse_import_command(body)
        if isinstance(command, MediaServerSyncCommand):
            from chalicelib.calendar import fill  # lazy: only after a media server sync
            from chalicelib.mediaservers import sync  # lazy: the media server clients only when a sync runs

            counts = sync.run(command.sync_id)
            if counts is not None and counts.changed:
                fill.owned_shows()  # the owned shows' next episodes reach the calendar (unchanged: they are there)
            return
        if isinstance(command, ListSync):
            from chalicelib.lists import sync as list_sync  # lazy: the list readers only when a list syncs

            list_sync.run(command.collection_id, command.request_id)
            return
        if isinstance(command, MediaServerAccountImport):
            from chalicelib.mediaaccounts import importer  # lazy: the media server clients only when one runs

            importer.run(command.user_id, command.server_id)
            return
        job = jobs.parse if isinstance(command, ImportParse) else jobs.apply
        job(command.import_id, Budget(context))

    return partial_batch(records, run, "import_job")
