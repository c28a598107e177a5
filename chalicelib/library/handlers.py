"""Worker events -> the library: ``library.file_indexed`` and ``library.scan_state``.

``library.file_indexed`` is applied idempotently by storage key under the
item's row lock: the item is upserted, its streams and subtitles are made
exactly those of the event, and it is matched (local catalog; TMDB after the
commit when a key is set). A redelivered event gives the same row; an event
older than the one already applied (``sentAt``) changes nothing. A manual
decision (a match or an ignore by a person) is never re-matched. Malformed
parts of an event (a probe without numbers, a guess of the wrong shape) are
stored as far as they are valid instead of failing the whole file. Indexed files
are then handed to ``analysis`` (intro/credits and scrub previews from the worker).
"""

from __future__ import annotations

import uuid
from pathlib import PurePath
from typing import TypedDict

from chalicelib import db
from chalicelib.config import get_settings
from chalicelib.db import Conn
from chalicelib.events import on_event
from chalicelib.library import analysis, matching, queries, service, upstream
from chalicelib.library.rows import ItemRow
from chalicelib.logs import get_logger
from chalicelib.messages import LibraryFileIndexed, LibraryFilesIndexed, LibraryScanState

MAX_DURATION = 9_999_999.0  # numeric(10,3)
MAX_DIMENSION = 100_000


def _uuid(value: str | None) -> uuid.UUID | None:
    try:
        return uuid.UUID(value) if value else None
    except ValueError:
        return None


def _number(value: object, upper: float) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value) if 0 <= value <= upper else None


def _dimension(value: object) -> int | None:
    number = _number(value, MAX_DIMENSION)
    return int(number) if number else None


def _strings(value: object, limit: int = 50) -> list[str]:
    return [str(v)[:50] for v in value[:limit]] if isinstance(value, list) else []


class ProbeColumns(TypedDict):
    container: str | None
    duration_seconds: float | None
    width: int | None
    height: int | None
    video_codec: str | None
    audio_codecs: list[str]
    audio_languages: list[str]


def probe_columns(probe: dict[str, object] | None) -> ProbeColumns:
    """The probe summary's typed columns (anything out of range is left empty, not an error)."""
    probe = probe if isinstance(probe, dict) else {}
    container, codec = probe.get("container"), probe.get("videoCodec")
    return {"container": str(container)[:50] if container else None,
            "duration_seconds": _number(probe.get("duration"), MAX_DURATION),
            "width": _dimension(probe.get("width")), "height": _dimension(probe.get("height")),
            "video_codec": str(codec)[:50] if codec else None, "audio_codecs": _strings(probe.get("audioCodecs")),
            "audio_languages": _strings(probe.get("audioLanguages"))}


def _file_name(event: LibraryFileIndexed) -> str:
    return PurePath(event.path.replace("\\", "/")).name or PurePath(event.key).name or event.key


def upsert_item(conn: Conn, event: LibraryFileIndexed) -> ItemRow | None:
    """Store the event's file, streams and subtitles; None when a newer event was already applied."""
    current = queries.lock_item_by_key(conn, storage_key=event.key)
    if current is not None and current["indexed_at"] > event.sent_at:
        get_logger().info("stale library event ignored", extra={"action": "library_event_stale", "key": event.key})
        return None
    guess = event.guess if isinstance(event.guess, dict) else {}
    item = queries.upsert_item(
        conn, storage_key=event.key, source_path=event.path, file_name=_file_name(event), size_bytes=event.size,
        mtime=event.mtime, sha256=event.sha256, oshash=event.oshash, guess=guess, probe=event.probe,
        probe_error=event.probe_error,
        source_job_id=_uuid(event.source_job_id), indexed_at=event.sent_at,
        **probe_columns(event.probe))
    replace_tracks(conn, item["id"], event)
    return item


def replace_tracks(conn: Conn, item_id: uuid.UUID, event: LibraryFileIndexed) -> None:
    """The item's streams and subtitles become exactly the event's."""
    queries.replace_streams(conn, item_id=item_id, streams=[s.model_dump(by_alias=True) for s in event.streams])
    queries.replace_subtitles(conn, item_id=item_id,
                              subtitles=[s.model_dump(by_alias=True) for s in event.subtitles])


def _item_row(event: LibraryFileIndexed) -> dict[str, object]:
    """One element of ``library_upsert_items``'s JSON array: the columns ``upsert_item`` writes."""
    job_id = _uuid(event.source_job_id)
    return {"storage_key": event.key, "source_path": event.path, "file_name": _file_name(event),
            "size_bytes": event.size, "mtime": event.mtime.isoformat() if event.mtime else None,
            "sha256": event.sha256, "oshash": event.oshash,
            "guess": event.guess if isinstance(event.guess, dict) else {},
            "probe": event.probe or None, "probe_error": event.probe_error,
            "source_job_id": str(job_id) if job_id else None, "indexed_at": event.sent_at.isoformat(),
            **probe_columns(event.probe)}


def upsert_items(conn: Conn, events: list[LibraryFileIndexed]) -> list[tuple[ItemRow, LibraryFileIndexed]]:
    """``upsert_item`` for a batch in one statement: per key the newest event, unless a newer one is stored."""
    latest: dict[str, LibraryFileIndexed] = {}
    for event in events:
        if event.key not in latest or event.sent_at >= latest[event.key].sent_at:
            latest[event.key] = event
    stored = {r["storage_key"]: r["indexed_at"] for r in queries.lock_items_by_keys(conn, keys=sorted(latest))}
    fresh = [e for key, e in sorted(latest.items()) if key not in stored or stored[key] <= e.sent_at]
    if len(fresh) < len(latest):
        get_logger().info("stale library events ignored", extra={"action": "library_event_stale",
                                                                 "count": len(latest) - len(fresh)})
    if not fresh:
        return []
    rows = {r["storage_key"]: r for r in queries.upsert_items(conn, items=[_item_row(e) for e in fresh])}
    for event in fresh:
        replace_tracks(conn, rows[event.key]["id"], event)
    return [(rows[e.key], e) for e in fresh]


def keeps_decision(item: ItemRow) -> bool:
    """A person's match or ignore stands, unless its catalog title has since been deleted."""
    if item["match_source"] != "manual":
        return False
    return item["match_state"] == "ignored" or item["media_id"] is not None


def apply_indexed(conn: Conn, event: LibraryFileIndexed) -> tuple[ItemRow | None, bool]:
    """Upsert and match locally; returns (item, whether TMDB is worth asking after the commit)."""
    item = upsert_item(conn, event)
    return (item, False) if item is None else match_item(conn, item, event)


def linked_outcome(conn: Conn, item: ItemRow) -> matching.Outcome | None:
    """The match a file gets from its download's link to a catalog title (a pick), when it has one."""
    job_id = item.get("source_job_id")
    if job_id is None:
        return None
    link = queries.job_link(conn, job_id=job_id)
    return matching.match_linked(conn, item["guess"], link) if link else None


def match_item(conn: Conn, item: ItemRow, event: LibraryFileIndexed) -> tuple[ItemRow, bool]:
    """Match a just-stored item (unless a person decided): by its download's link, else locally by its
    parsed name; returns whether TMDB is worth asking after."""
    if keeps_decision(item):
        return item, False
    outcome = linked_outcome(conn, item) or matching.match_local(
        conn, item["guess"], get_settings().library.match_threshold)
    service.set_match(conn, item["id"], outcome, "auto")
    get_logger().info("library file indexed", extra={
        "action": "library_file_indexed", "key": event.key, "item_id": str(item["id"]), "state": outcome.state,
        "confidence": outcome.confidence, "media_id": outcome.media_id, "flagged": event.probe_error is not None})
    return item, outcome.state != "matched" and upstream.enabled()


def match_upstream(item_id: uuid.UUID) -> None:
    """TMDB matching outside the indexing transaction (it may take seconds); re-checks the item first."""
    with db.transaction() as conn:
        item = queries.lock_item(conn, item_id=item_id)
        if item is None or keeps_decision(item) or item["match_state"] == "matched":
            return
        found = upstream.match(conn, item["guess"], get_settings().library.match_threshold)
        if found is not None and (found.confidence or 0) > float(item["match_confidence"] or 0):
            service.set_match(conn, item["id"], found, "auto")


@on_event("library.file_indexed")
def on_file_indexed(event: LibraryFileIndexed) -> None:
    with db.transaction() as conn:
        item, ask_upstream = apply_indexed(conn, event)
    if ask_upstream and item is not None:
        match_upstream(item["id"])
    if item is not None:
        analysis.request_for([item["id"]])  # after matching: a matched episode's season is its show's


@on_event("library.files_indexed")
def on_files_indexed(event: LibraryFilesIndexed) -> None:
    """A scan's batch: one upsert for its files, then each matched as a ``library.file_indexed`` would be."""
    with db.transaction() as conn:
        applied = [match_item(conn, item, file) for item, file in upsert_items(conn, event.files)]
    for item, ask_upstream in applied:
        if ask_upstream and item is not None:
            match_upstream(item["id"])
    analysis.request_for(item["id"] for item, _ in applied)  # a season's batch asks once, after matching


@on_event("library.scan_state")
def on_scan_state(event: LibraryScanState) -> None:
    scan_id = _uuid(event.scan_id)
    if scan_id is None:
        get_logger().warning("scan report with a bad id ignored", extra={"action": "library_scan_state_ignored"})
        return
    with db.transaction() as conn:
        row = queries.apply_scan_state(conn, scan_id=scan_id, trigger=event.trigger, paths=event.paths,
                                       status=event.status, indexed_count=event.indexed, error=event.error)
    get_logger().info("library scan state", extra={
        "action": "library_scan_state", "scan_id": event.scan_id, "status": event.status, "seen": event.seen,
        "accepted": event.accepted, "indexed": event.indexed, "failed": event.failed, "applied": row is not None})
