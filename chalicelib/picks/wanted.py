"""The wanted list: movies and episodes a user wants, grouped show -> season -> episode.

Adding a show (no season) or a season expands into its aired episodes (air date today or earlier) and
monitors it, so the episodes that air later join when they air (the monitoring run). Re-adding is
idempotent: what is already wanted stays as it is (``added`` 0). An item is done when the
library holds a matched file of it; that is computed from ``library_items`` on every read (a file a
person unmatches makes it wanted again), never stored.
"""

from __future__ import annotations

import uuid
from collections import defaultdict

from chalicelib import db, errors
from chalicelib.catalog import images
from chalicelib.db import Conn
from chalicelib.library.errors import EpisodeNotFound, MediaNotFound
from chalicelib.picks import queries
from chalicelib.picks.models import (
    MAX_MEDIA_ID,
    Monitor,
    MonitorRequest,
    WantedAdded,
    WantedGroup,
    WantedItem,
    WantedPage,
    WantedSeason,
)
from chalicelib.picks.queries import IdRow, MediaRow, MonitoredRow, WantedRow


class WantedNotFound(errors.NotFound):
    code = "wanted_not_found"


class NotMonitored(errors.NotFound):
    code = "not_monitored"


def media_id(raw: str) -> int:
    """A media id from a URL segment; anything that cannot be an id is simply not found."""
    if not raw.isascii() or not raw.isdigit() or not 1 <= int(raw) <= MAX_MEDIA_ID:
        raise MediaNotFound(f"No title with id {raw[:40]!r}")
    return int(raw)


def _media(conn: Conn, media_id: int, show_only: bool = False) -> MediaRow:
    media = queries.media(conn, media_id=media_id)
    if media is None or media["media_type"] not in ("movie", "show"):
        raise MediaNotFound("No movie or show with this id")
    if show_only and media["media_type"] != "show":
        raise errors.ValidationFailed("Only a show has new episodes to monitor", fields={"mediaId": "not a show"})
    return media


def add(user_id: uuid.UUID, media_id: int, season: int | None, episode: int | None) -> tuple[WantedAdded, bool]:
    """Want a movie, an episode, a season or a whole show; returns (the units, whether any was new)."""
    with db.transaction() as conn:
        media = _media(conn, media_id)
        if media["media_type"] == "movie":
            if season is not None:
                raise errors.ValidationFailed("A movie has no seasons or episodes",
                                              fields={"season": "not for a movie"})
            added = [r for r in [queries.wanted_insert_movie(conn, user_id=user_id, media_id=media_id)] if r]
        else:
            added = _add_episodes(conn, user_id, media_id, season, episode)
        ids = [r["id"] for r in queries.wanted_unit_ids(conn, user_id=user_id, media_id=media_id, season=season,
                                                        episode=episode, aired_only=episode is None)]
        items = [_item(r) for r in queries.wanted_rows(conn, user_id=user_id, ids=ids)]
    return WantedAdded(added=len(added), items=items), bool(added)


def _add_episodes(conn: Conn, user_id: uuid.UUID, media_id: int, season: int | None,
                  episode: int | None) -> list[IdRow]:
    if episode is not None and queries.episode(conn, media_id=media_id, season=season, episode=episode) is None:
        raise EpisodeNotFound(f"The show has no episode S{season:02d}E{episode:02d}")
    if episode is None and season is not None and not queries.season_exists(conn, media_id=media_id, season=season):
        raise EpisodeNotFound(f"The show has no season {season}")
    if episode is None:  # a season or the whole show: its later episodes join as they air
        queries.monitored_upsert(conn, user_id=user_id, media_id=media_id,
                                 seasons=[season] if season is not None else [], whole_show=season is None)
    return queries.wanted_insert_episodes(conn, user_id=user_id, media_id=media_id, season=season, episode=episode,
                                          aired_only=episode is None)


def _item(row: WantedRow) -> WantedItem:
    return WantedItem.model_validate({**row, "name": row["episode_name"], "done": row["done_at"] is not None})


def list_wanted(user_id: uuid.UUID, q: str | None, page: int, page_size: int) -> WantedPage:
    """One page of wanted titles, most recently added first, each with its units and done roll-ups."""
    with db.connection() as conn:
        groups = queries.wanted_group_page(conn, user_id=user_id, q=q, limit=page_size,
                                           offset=(page - 1) * page_size)
        total = queries.wanted_group_count(conn, user_id=user_id, q=q)
        ids = [i for g in groups for i in g["ids"]]
        rows = queries.wanted_rows(conn, user_id=user_id, ids=ids) if ids else []
        monitors = {m["media_id"]: m for m in queries.monitored_for(
            conn, user_id=user_id, media_ids=[g["media_id"] for g in groups])} if groups else {}
    by_media: dict[int, list[WantedRow]] = defaultdict(list)
    for row in rows:
        by_media[row["media_id"]].append(row)
    items = [_group(by_media[g["media_id"]], monitors.get(g["media_id"])) for g in groups if by_media[g["media_id"]]]
    return WantedPage(items=items, page=page, page_size=page_size, total=total)


def _group(rows: list[WantedRow], monitor: MonitoredRow | None) -> WantedGroup:
    first = rows[0]
    items = [_item(r) for r in rows]
    done = sum(i.done for i in items)
    seasons: dict[int, list[WantedItem]] = defaultdict(list)
    for item in items:
        if item.season is not None:
            seasons[item.season].append(item)
    return WantedGroup(
        media_id=first["media_id"], media_type=first["media_type"], title=first["title"], year=first["year"],
        poster_url=images.url(first["media_type"], first["poster_path"], "poster"), wanted=len(items) - done,
        done=done, item=items[0] if first["media_type"] == "movie" else None,
        seasons=[_season(number, episodes) for number, episodes in sorted(seasons.items())],
        monitor=_monitor(monitor) if monitor else None)


def _season(number: int, episodes: list[WantedItem]) -> WantedSeason:
    done = sum(e.done for e in episodes)
    return WantedSeason(season=number, wanted=len(episodes) - done, done=done, episodes=episodes)


def _monitor(row: MonitoredRow) -> Monitor:
    return Monitor(media_id=row["media_id"], seasons=row["seasons"], auto_get=row["auto_get"], cutoff=row["cutoff"])


def remove(user_id: uuid.UUID, wanted_id: str) -> None:
    """Stop wanting one unit; 404 unless it is the user's."""
    try:
        key = uuid.UUID(wanted_id)
    except ValueError:
        raise WantedNotFound("No such wanted item") from None
    with db.connection() as conn:
        if queries.wanted_delete(conn, wanted_id=key, user_id=user_id) is None:
            raise WantedNotFound("No such wanted item")


def set_monitor(user_id: uuid.UUID, media_id: int, request: MonitorRequest) -> Monitor:
    """"Get new episodes automatically" on or off (and its cutoff); monitors the show when it was not."""
    with db.connection() as conn:
        _media(conn, media_id, show_only=True)
        row = queries.monitored_set(conn, user_id=user_id, media_id=media_id, auto_get=request.auto_get,
                                         cutoff=request.cutoff)
    return _monitor(row)


def unmonitor(user_id: uuid.UUID, media_id: int) -> None:
    """New episodes of the show stop joining the wanted list (what is wanted stays)."""
    with db.connection() as conn:
        if queries.monitored_delete(conn, user_id=user_id, media_id=media_id) is None:
            raise NotMonitored("This show is not monitored")
