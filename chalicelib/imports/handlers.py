"""Imports' handlers on the events queue (registered when ``app.py`` imports this module)."""

from __future__ import annotations

from chalicelib.events import on_event
from chalicelib.imports.messages import ImportApply, ImportParse


@on_event("imports.parse", model=ImportParse)
def on_parse(message: ImportParse) -> None:
    from chalicelib.imports import jobs  # the readers only when a file is parsed

    jobs.parse(message.import_id)


@on_event("imports.apply", model=ImportApply)
def on_apply(message: ImportApply) -> None:
    from chalicelib.imports import jobs

    jobs.apply(message.import_id)
