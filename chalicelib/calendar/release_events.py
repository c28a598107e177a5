"""Writing ``release_events``: the one write path of the scheduled fill and of the demo schedule.

Both ``fill`` (targets, demo) and ``upstream_events`` (TMDB, IGDB) store events through here, so neither
imports the other for it.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta

from chalicelib.calendar import queries
from chalicelib.calendar.queries import EventItem
from chalicelib.db import Conn

PAST_DAYS, FUTURE_DAYS = 60, 730  # the episode window around today
SHOW_KINDS = ["episode_air", "season_premiere"]
GAME_KINDS = ["game_release", "dlc_release"]


def replace_events(conn: Conn, media_ids: list[int], kinds: list[str], source: str, items: Sequence[EventItem],
                   *, is_demo: bool = False) -> int:
    """Make these titles' events of these kinds exactly ``items`` (see ``calendar_replace_events``)."""
    if not media_ids:
        return 0
    queries.replace_events(conn, media_ids=media_ids, kinds=kinds, source=source, is_demo=is_demo, items=items)
    return len(items)


def episode_events(conn: Conn, show_ids: list[int], today: date) -> list[EventItem]:
    """Episode-air and season-premiere events of these shows from their stored episodes."""
    if not show_ids:
        return []
    rows = queries.episode_rows(conn, media_ids=show_ids, date_from=today - timedelta(days=PAST_DAYS),
                                date_to=today + timedelta(days=FUTURE_DAYS))
    return [{"media_id": r["media_id"], "kind": "episode_air" if r["what"] == "episode" else "season_premiere",
             "season_id": r["season_id"] if r["what"] == "season" else None, "episode_id": r["episode_id"],
             "release_date": r["air_date"], "release_at": r["air_at"]} for r in rows]


def owned_show_events(conn: Conn, today: date) -> dict[str, int]:
    """The episodes of the shows the media servers hold, from their stored episodes (source ``mediaserver``):
    an owned show's next episode is on the calendar without a TMDB key. Shows no server holds any more lose
    theirs."""
    shows = queries.owned_show_ids(conn)
    items = episode_events(conn, shows, today)
    written = replace_events(conn, shows, SHOW_KINDS, "mediaserver", items)
    return {"shows": len(shows), "events": written, "dropped": queries.drop_unowned_events(conn, owned=shows)}
