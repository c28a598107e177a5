"""Worker events -> control plane: one dispatcher for the SQS consumer.

Each record is parsed into a message model and handed to the handler its
domain registered for that ``type``. Records are handled one by one: a record
that fails is reported in ``batchItemFailures`` so only it is redelivered (and
lands in the dead-letter queue after the redrive limit), never its batch.
Handlers must be idempotent: SQS delivers at least once.
"""

from __future__ import annotations

import importlib
import threading
from collections.abc import Callable, Iterable
from typing import Any

from pydantic import BaseModel, ValidationError

from chalicelib import jsondepth
from chalicelib.logs import get_logger

Handler = Callable[[Any], None]
HANDLERS: dict[str, Handler] = {}
# Control-plane-internal message types on the same queue (e.g. playback.prefetch): type -> model.
# Imports are not among them: they have a queue and consumer of their own (``imports.handlers``).
INTERNAL: dict[str, type[BaseModel]] = {}
# Modules whose handlers are imported on the first record, not with the app: an HTTP cold start of the same
# app never needs them (``handlers_in``).
_PENDING: list[str] = []
_loading = threading.Lock()


def handlers_in(*modules: str) -> None:
    """Name the modules that register handlers with ``on_event``; the first record imports them."""
    with _loading:
        _PENDING.extend(module for module in modules if module not in _PENDING)


def load_handlers() -> None:
    """Import the named handler modules not imported yet (a module that fails stays named for the next try)."""
    with _loading:
        while _PENDING:
            importlib.import_module(_PENDING[0])
            _PENDING.pop(0)


def on_event(message_type: str, model: Any = None) -> Callable[[Handler], Handler]:
    """Register the handler of one worker event type (or, with its ``model``, of an internal message)."""

    def register(fn: Handler) -> Handler:
        HANDLERS[message_type] = fn
        if model is not None:
            INTERNAL[message_type] = model
        return fn

    return register


def handle_record(body: str) -> None:
    """Handle one SQS message body; raise to have it redelivered."""
    logger = get_logger()
    load_handlers()
    message = _parse(body)
    handler = HANDLERS.get(message.type)
    if handler is None:
        logger.warning("no handler for event", extra={"action": "event_unhandled", "type": message.type})
        return
    handler(message)


def _parse(body: str) -> Any:
    """A worker event, or an internal message of a type registered with its model."""
    from chalicelib.messages import parse_event  # lazy: its models are built on import; HTTP starts skip them

    try:
        kind = jsondepth.loads(body).get("type") if INTERNAL else None
    except (ValueError, AttributeError):
        kind = None  # not a JSON object: parse_event raises the ValidationError that reports it
    model = INTERNAL.get(kind) if isinstance(kind, str) else None
    return model.model_validate_json(body) if model is not None else parse_event(body)


def handle_batch(records: Iterable[Any]) -> dict[str, list[dict[str, str]]]:
    """Handle a batch of worker events and report the ones that failed."""
    return partial_batch(records, handle_record, "event")


def partial_batch(records: Iterable[Any], handle: Callable[[str], None],
                  kind: str) -> dict[str, list[dict[str, str]]]:
    """Call ``handle`` with each SQS record's body; report the records that raised in ``batchItemFailures``
    (Lambda's ReportBatchItemFailures), so only they are redelivered — and a malformed one ends in the
    dead-letter queue after the redrive limit. ``records`` are Chalice ``SQSRecord`` objects or raw Lambda
    record dicts; ``kind`` names them in the logs (``event_malformed``, ``event_failed``, ...)."""
    logger = get_logger()
    failures: list[dict[str, str]] = []
    for record in records:
        body = record.body if hasattr(record, "body") else record["body"]
        message_id = _message_id(record)
        try:
            handle(body)
        except ValidationError as exc:
            logger.error(f"malformed {kind}", extra={"action": f"{kind}_malformed", "message_id": message_id,
                                                     "errors": exc.error_count()})
            failures.append({"itemIdentifier": message_id})
        except Exception:
            logger.exception(f"{kind} handler failed", extra={"action": f"{kind}_failed", "message_id": message_id})
            failures.append({"itemIdentifier": message_id})
    return {"batchItemFailures": failures}


def _message_id(record: Any) -> str:
    if hasattr(record, "to_dict"):
        return record.to_dict().get("messageId", "")
    return record.get("messageId", "")
