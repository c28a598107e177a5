"""Control-plane-internal messages of imports (on the events queue, never seen by the worker)."""

from __future__ import annotations

from typing import Literal
from uuid import UUID

from chalicelib.messages import Message


class ImportParse(Message):
    """An upload is stored: read it into rows and match them (the import is ``parsing``)."""

    type: Literal["imports.parse"] = "imports.parse"
    import_id: UUID


class ImportApply(Message):
    """The user applied the preview: write the next batches (the import is ``applying``)."""

    type: Literal["imports.apply"] = "imports.apply"
    import_id: UUID
