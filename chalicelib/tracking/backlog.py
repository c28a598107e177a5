"""Game backlog: status, hours played, completion, start/finish dates and platform per game."""

from __future__ import annotations

from uuid import UUID

from chalicelib import clock
from chalicelib.db import Conn
from chalicelib.tracking import errors, queries
from chalicelib.tracking.rows import BacklogRow, BacklogValues
from chalicelib.tracking.schemas import GAME_STATUSES, Backlog, BacklogEntry, BacklogIn, MediaCard, PlatformRef
from chalicelib.tracking.service import media

_OPTIONAL = ("hours_played", "completion_percent", "started_on", "finished_on", "platform_id")
_EMPTY: BacklogValues = {"status": None, "hours_played": 0, "completion_percent": None, "started_on": None,
                         "finished_on": None, "platform_id": None}


def _entry(row: BacklogRow) -> BacklogEntry:
    platform_id, name = row["platform_id"], row["platform_name"]
    platform = PlatformRef(id=platform_id, name=name) if platform_id and name is not None else None
    return BacklogEntry(
        media=MediaCard.from_row(row), status=row["status"], hours_played=float(row["hours_played"]),
        completion_percent=None if row["completion_percent"] is None else float(row["completion_percent"]),
        started_on=row["started_on"], finished_on=row["finished_on"], platform=platform,
        last_played_at=row["last_played_at"], updated_at=row["updated_at"])


def _merge(current: BacklogValues | None, body: BacklogIn) -> BacklogValues:
    values = BacklogValues(**(current or _EMPTY))
    values["status"] = body.status
    for name in _OPTIONAL:
        if name in body.model_fields_set:
            values[name] = getattr(body, name)
    values["hours_played"] = values["hours_played"] or 0
    # Starting or finishing a game without a date means today.
    today, sent = clock.now().date(), body.model_fields_set
    if body.status == "active" and values["started_on"] is None and "started_on" not in sent:
        values["started_on"] = today
    if body.status == "completed" and values["finished_on"] is None and "finished_on" not in sent:
        values["finished_on"] = today
    return values


def _validate(conn: Conn, values: BacklogValues) -> None:
    started, finished = values["started_on"], values["finished_on"]
    if started is not None and finished is not None and finished < started:
        raise errors.InvalidValue("A game cannot be finished before it was started",
                                         fields={"finishedOn": "must not be before startedOn"})
    if values["platform_id"] is not None and not queries.platform_exists(conn, platform_id=values["platform_id"]):
        raise errors.InvalidValue(f"No platform {values['platform_id']}",
                                         fields={"platformId": "unknown platform"})


def set_entry(conn: Conn, user_id: UUID, media_id: int, body: BacklogIn) -> BacklogEntry:
    """Create or update a game's backlog entry (omitted fields keep their value).

    Errors: MediaNotFound, WrongMediaType (not a game), InvalidValue
    (finished before started, unknown platform).
    """
    media(conn, media_id, "game")
    current = queries.backlog_lock(conn, user_id=user_id, media_id=media_id)
    values = _merge(current, body)
    _validate(conn, values)
    played = float(values["hours_played"]) > float((current or _EMPTY)["hours_played"]) or (
        body.status == "active" and (current or _EMPTY)["status"] != "active")
    queries.backlog_upsert(conn, user_id=user_id, media_id=media_id, played=played, **values)
    return get_entry(conn, user_id, media_id)


def get_entry(conn: Conn, user_id: UUID, media_id: int) -> BacklogEntry:
    """One game's backlog entry; NotTracked when the game is not in the backlog."""
    rows = list(queries.backlog_list(conn, user_id=user_id, media_id=media_id))
    if not rows:
        media(conn, media_id, "game")
        raise errors.NotTracked(f"Game {media_id} is not in your backlog")
    return _entry(rows[0])


def remove_entry(conn: Conn, user_id: UUID, media_id: int) -> None:
    """Take a game out of the backlog; NotTracked when it was not in it."""
    if queries.backlog_delete(conn, user_id=user_id, media_id=media_id) == 0:
        media(conn, media_id, "game")
        raise errors.NotTracked(f"Game {media_id} is not in your backlog")


def backlog(conn: Conn, user_id: UUID, status: str | None = None) -> Backlog:
    """The whole backlog grouped by status (each group most recently updated first), with counts."""
    groups: dict[str, list[BacklogEntry]] = {name: [] for name in GAME_STATUSES}
    for row in queries.backlog_list(conn, user_id=user_id, media_id=None):
        if status is None or row["status"] == status:
            groups[row["status"]].append(_entry(row))
    return Backlog(**groups, counts={name: len(entries) for name, entries in groups.items()})
