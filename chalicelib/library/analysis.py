"""Skip intro/credits and scrub previews (issue 38): asked of the worker when files are indexed, stored here.

When files are indexed the API asks the worker's media loop (``media.analyze`` on ``seen-media-commands``) for
what a file lacks: scrub previews (trickplay) once per original, and intro/credits whenever its season has
grown since they were last found (a new episode may give the others an intro they could not have alone: the
intro is audio two episodes share). One command names the whole season, so the worker compares every pair;
files whose outputs it has stored cost it no new read, only the comparison. A season asked for and not yet
answered is not asked again for ``RETRY_AFTER`` (analysis runs one at a time behind other media work), unless
it grew. At most ``MAX_IN_FLIGHT`` files are in the worker's hands: the queue is shared with the player's
remux/HLS requests, so a big first scan is asked for a season at a time, each answer asking for more.
Decisions take one advisory lock, so two batches of one season ask once; the request rows are written in
the transaction that sends the command, so a failed send asks again on the next indexing.

``media.analyzed`` is applied per file, idempotently: an answer older than the last applied, or about another
original, changes nothing; a file's segments become exactly the answer's.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta
from typing import Literal, cast

from chalicelib import aws, db
from chalicelib.config import get_settings
from chalicelib.db import Conn
from chalicelib.events import on_event
from chalicelib.library import playmodes, queries
from chalicelib.library.models import StreamSegment
from chalicelib.library.rows import SeasonFileRow
from chalicelib.logs import get_logger
from chalicelib.messages import AnalyzeFile, MediaAnalyze, MediaAnalyzed

RETRY_AFTER = 6 * 3600  # seconds an unanswered request waits before the same season is asked again
SEASON_LIMIT = 60  # files of one season named in a command (the worker compares every pair)
# Files asked and not answered at most: analysis shares seen-media-commands with the player's remux/HLS
# work, so a first scan of a big library must not put thousands of commands ahead of someone's Play.
MAX_IN_FLIGHT = 60
WAITING_BATCH = 20  # files never asked, looked at per answer
SegmentKind = Literal["intro", "credits"]  # the table's CHECK
MODE = "analysis"  # the outputs' folder under the original's variants (``playmodes.output_prefix``)


def output_prefix(source_key: str, sha256: str | None) -> str:
    return playmodes.output_prefix(source_key, MODE, sha256)


def _wants(row: SeasonFileRow, season: int, since: datetime) -> tuple[bool, bool]:
    """(segments, trickplay) still to ask of the worker for one file of a season of ``season`` files."""
    asked_before = row["output_prefix"] == output_prefix(row["storage_key"], row["sha256"])
    recent = asked_before and row["requested_at"] is not None and row["requested_at"] > since
    compared = row["segments_compared"] if asked_before else None
    segments = (compared is None or compared < season) and not (recent and (row["segments_asked"] or 0) >= season)
    trickplay = not asked_before or (row["trickplay_prefix"] is None and not (recent and row["trickplay_asked"]))
    return segments, trickplay


def plan(rows: list[SeasonFileRow], now: datetime) -> list[AnalyzeFile] | None:
    """The command's files (every file of the season, flagged with what is wanted), None when nothing is."""
    since = now - timedelta(seconds=RETRY_AFTER)
    files = []
    for row in rows:
        segments, trickplay = _wants(row, len(rows), since)
        files.append(AnalyzeFile(file_id=str(row["id"]), key=row["storage_key"], segments=segments,
                                 trickplay=trickplay, output_prefix=output_prefix(row["storage_key"], row["sha256"])))
    return files if any(f.segments or f.trickplay for f in files) else None


def _record(conn: Conn, rows: list[SeasonFileRow], files: list[AnalyzeFile]) -> None:
    for row, file in zip(rows, files, strict=True):
        if not (file.segments or file.trickplay):
            continue
        if row["output_prefix"] is not None and row["output_prefix"] != file.output_prefix:
            queries.analysis_forget(conn, item_id=row["id"])  # a replaced original: start over
        queries.analysis_request(conn, item_id=row["id"], source_key=file.key, output_prefix=file.output_prefix,
                                 segments_asked=len(rows) if file.segments else None, trickplay_asked=file.trickplay)


def _send(command: MediaAnalyze) -> None:
    aws.client("sqs").send_message(QueueUrl=aws.queue_url(get_settings().aws.media_queue),
                                   MessageBody=command.to_json())


def request_for(item_ids: Iterable[uuid.UUID]) -> int:
    """Ask the worker for what the seasons of these (just indexed) files lack; returns the commands sent.

    A failed send is logged and forgotten: nothing is recorded, so the next indexing asks again."""
    from botocore.exceptions import BotoCoreError, ClientError  # boto is loaded on first use (cold start)

    covered: set[uuid.UUID] = set()
    sent = 0
    for item_id in item_ids:
        if item_id in covered:
            continue
        try:
            with db.transaction() as conn:
                queries.analysis_lock(conn)
                rows = queries.season_files(conn, item_id=item_id, limit=SEASON_LIMIT)
                covered.update(row["id"] for row in rows)
                files = plan(rows, datetime.now(UTC))
                if files is None:
                    continue
                if queries.analysis_in_flight(conn, retry_after=RETRY_AFTER) >= MAX_IN_FLIGHT:
                    break  # enough in the worker's hands; the next answer asks for the rest (request_waiting)
                _record(conn, rows, files)
                _send(MediaAnalyze(files=files))
                sent += 1
        except (BotoCoreError, ClientError) as exc:
            get_logger().warning("media analysis not asked", extra={
                "action": "media_analyze_unsent", "item_id": str(item_id), "error": type(exc).__name__})
            continue
        get_logger().info("media analysis asked", extra={
            "action": "media_analyze_sent", "item_id": str(item_id), "files": len(files),
            "segments": sum(f.segments for f in files), "trickplay": sum(f.trickplay for f in files)})
    return sent


def request_waiting() -> int:
    """Ask for files held back while the worker had ``MAX_IN_FLIGHT`` in hand (called as answers come in)."""
    with db.connection() as conn:
        waiting = queries.analysis_never_asked(conn, limit=WAITING_BATCH)
    return request_for(waiting) if waiting else 0


# --- answers -------------------------------------------------------------------------------------------------


def apply_analyzed(conn: Conn, event: MediaAnalyzed) -> bool:
    """Store one file's answer; False when it is stale (older than the last applied, another original)."""
    try:
        item_id = uuid.UUID(event.file_id)
    except ValueError:
        return False
    row = queries.analysis_apply(
        conn, item_id=item_id, source_key=event.key, has_segments=event.segments is not None,
        compared=event.compared, trickplay=event.trickplay.model_dump() if event.trickplay else None,
        error=event.error, sent_at=event.sent_at)
    if row is not None and event.segments is not None:
        queries.replace_segments(conn, item_id=item_id, segments=[s.model_dump() for s in event.segments])
    get_logger().info("media analysis reported", extra={
        "action": "media_analyzed", "item_id": event.file_id, "applied": row is not None,
        "segments": [s.kind for s in event.segments or ()], "trickplay": event.trickplay is not None,
        "error": (event.error or "")[:200] or None})
    return row is not None


# Registered when the app imports the library routes (routes -> streaming -> here), as playmodes' is.
@on_event("media.analyzed")
def on_media_analyzed(event: MediaAnalyzed) -> None:
    with db.transaction() as conn:
        apply_analyzed(conn, event)
    request_waiting()  # an answer frees room in the worker's hands


# --- the stream answer ---------------------------------------------------------------------------------------


def segments_of(conn: Conn, item_id: uuid.UUID) -> list[StreamSegment]:
    return [StreamSegment(kind=cast(SegmentKind, row["kind"]), start=float(row["start_seconds"]),
                          end=float(row["end_seconds"]))
            for row in queries.segments_of(conn, item_id=item_id)]
