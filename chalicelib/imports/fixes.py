"""Fixing an unmatched row by hand: the user picks the title (the episode follows from the row)."""

from __future__ import annotations

from uuid import UUID

from chalicelib import db
from chalicelib.db import Conn
from chalicelib.imports import errors, queries
from chalicelib.imports.models import ImportOut
from chalicelib.imports.records import EntryRow, MediaKind
from chalicelib.imports.service import get


def _episode(conn: Conn, row: EntryRow, media: MediaKind) -> int | None:
    """The episode a row names in the picked show (None for a row about a whole title)."""
    if row["season_number"] is None:
        if row["kind"] == "watched" and media["media_type"] != "movie":
            raise errors.RowNotFixable("Only a movie can be watched without an episode",
                                       fields={"mediaId": "pick a movie"})
        return None
    if media["media_type"] != "show":
        raise errors.RowNotFixable("This row is an episode: pick its show", fields={"mediaId": "pick a show"})
    episode_id = queries.episode(conn, media_id=media["id"], season_number=row["season_number"],
                                 episode_number=row["episode_number"])
    if episode_id is None:
        raise errors.RowNotFixable(f"That show has no episode S{row['season_number']}E{row['episode_number']}",
                                   fields={"mediaId": "no such episode in this show"})
    return episode_id


def fix_row(user_id: UUID, import_id: UUID, row_no: int, media_id: int) -> ImportOut:
    """Match an unmatched row of a previewed import to ``media_id``; the preview counts follow."""
    with db.transaction() as conn:
        # Held until commit: an apply that starts meanwhile waits, then applies the fixed preview.
        current = queries.lock_owned(conn, user_id=user_id, import_id=import_id)
        if current is None:
            raise errors.ImportNotFound(f"No import {import_id}")
        if current["status"] != "preview":
            raise errors.ImportNotReady(f"Import {import_id} is {current['status']}; rows are fixed in the preview")
        row = queries.entry(conn, import_id=import_id, row_no=row_no)
        if row is None or row["status"] != "unmatched":
            raise errors.RowNotFound(f"Import {import_id} has no unmatched row {row_no}")
        media = queries.media(conn, media_id=media_id)
        if media is None:
            raise errors.RowNotFixable(f"No title {media_id}", fields={"mediaId": "no such title"})
        if row["kind"] == "watched" and media["media_type"] == "game":
            raise errors.RowNotFixable("A game cannot be watched", fields={"mediaId": "pick a movie or a show"})
        episode_id = _episode(conn, row, media)
        queries.fix_row(conn, import_id=import_id, row_no=row_no, media_id=media_id, episode_id=episode_id)
        if queries.finish_parse(conn, import_id=import_id, from_status="preview") is None:
            raise errors.ImportNotReady(f"Import {import_id} is no longer a preview")
    return get(user_id, import_id)
