"""The imports consumer: one message of ``seen-import-commands`` per invocation (``app.import_jobs``).

Parse and apply run here, never on the worker-events queue, so a big import delays no worker event.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from pydantic import ValidationError

from chalicelib.logs import get_logger


def handle_batch(records: Iterable[Any], context: Any = None) -> dict[str, list[dict[str, str]]]:
    """Run each record's job within the invocation's remaining time; failed records are reported for
    redelivery (a malformed one lands in the dead-letter queue after the redrive limit)."""
    from chalicelib.imports import jobs  # the readers only when a job runs, not on an HTTP cold start
    from chalicelib.imports.budget import Budget
    from chalicelib.messages import ImportParse, parse_import_command

    logger, failures = get_logger(), []
    for record in records:
        body = record.body if hasattr(record, "body") else record["body"]
        message_id = _message_id(record)
        try:
            command = parse_import_command(body)
            job = jobs.parse if isinstance(command, ImportParse) else jobs.apply
            job(command.import_id, Budget(context))
        except ValidationError as exc:
            logger.error("malformed import command", extra={"action": "import_command_malformed",
                                                            "message_id": message_id, "errors": exc.error_count()})
            failures.append({"itemIdentifier": message_id})
        except Exception:
            logger.exception("import job failed", extra={"action": "import_job_failed", "message_id": message_id})
            failures.append({"itemIdentifier": message_id})
    return {"batchItemFailures": failures}


def _message_id(record: Any) -> str:
    if hasattr(record, "to_dict"):
        return record.to_dict().get("messageId", "")
    return record.get("messageId", "")
