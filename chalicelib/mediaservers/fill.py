"""A sync's catalog fill (issue 36): the titles the server holds that the catalog lacked, added and linked.

A sync links what the catalog holds and adds a few new titles itself (``sync.INLINE_TITLES``); a first sync
of a big library leaves the rest, unlinked rows that keep the server's provider ids, to this fill, run right
after the sync is marked completed (the user-facing "done": the mirror is whole and pruned). The fill reads
those rows back a chunk at a time, adds the titles from the server's stored facts as the sync would have
(a show with its stored episodes), and links each title with its seasons and episodes, one transaction a
chunk: a title is owned as soon as its chunk is committed. Its state is the mirror itself (what is unlinked
with a TMDB id), so a fill cut short is done again by the redelivered message (claimed on the sync row, taken
up once stale) or by the next sync's fill, and a fill done again finds nothing to do. A chunk the catalog
refuses is logged and left unlinked; the others go on.
"""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

import psycopg

from chalicelib import cache, db
from chalicelib.catalog import store
from chalicelib.logs import get_logger
from chalicelib.mediaservers import match, queries
from chalicelib.mediaservers.items import Kind, ProviderIds, ServerItem
from chalicelib.mediaservers.queries import FillEpisodeRow, FillTitleRow

CHUNK = 1000  # titles added and linked in one transaction (a show's seasons and episodes with it)
STALE_SECONDS = 20 * 60  # a fill "running" this long has died: a redelivered message takes it up again


@dataclass(frozen=True)
class Filled:
    linked: int  # titles, and episodes now linked to an episode
    unmatched: int  # what the sync's row now says is unmatched


def run(sync_id: UUID) -> Filled | None:
    """The catalog fill of the completed sync ``sync_id``; None when there is none to run (done, running
    elsewhere, or left to a later sync's)."""
    with db.connection() as conn:
        claim = queries.sync_fill_start(conn, id=sync_id, stale_seconds=STALE_SECONDS)
    if claim is None:
        return None
    server_id = claim["server_id"]
    linked, after = 0, ""
    while True:
        with db.connection() as conn:
            rows = queries.items_to_fill(conn, sync_id=sync_id, server_id=server_id, after=after, size=CHUNK)
            if rows and not after:  # the sync has just written the rows: the planner's statistics predate them
                queries.items_analyze(conn)
        if not rows:
            break
        after = rows[-1]["item_id"]
        linked += _chunk(server_id, [_title(row) for row in rows])
    with db.connection() as conn:
        if linked:  # as after the sync: statistics taken while every row was unlinked mislead what reads them
            queries.items_analyze(conn)
        unmatched = queries.sync_filled(conn, id=sync_id, server_id=server_id) or 0
    if linked:
        cache.on_media_server_synced()  # the titles are owned now
    get_logger().info("media server catalog filled", extra={
        "action": "media_server_filled", "server_id": str(server_id), "sync_id": str(sync_id), "linked": linked,
        "unmatched": unmatched})
    return Filled(linked, unmatched)


def _chunk(server_id: UUID, titles: list[ServerItem]) -> int:
    """One chunk's titles added (or found: the catalog may have got one since) and linked with their seasons
    and episodes, in one transaction."""
    try:
        with db.transaction() as conn:
            shows = [t.item_id for t in titles if t.kind == "show"]
            episodes = [_episode(row) for row in queries.items_episodes_of(conn, server_id=server_id,
                                                                          show_ids=shows)] if shows else []
            found = match.titles(conn, titles)
            found.update(match.added(conn, match.addable(titles, found), episodes))
            if not found:
                return 0
            links = [{"item_id": item_id, "media_id": media_id} for item_id, media_id in found.items()]
            return queries.items_link(conn, server_id=server_id, titles=store.to_json(links))
    except (psycopg.Error, ValueError):  # left unlinked: the next fill tries these again
        get_logger().exception("media server catalog fill chunk failed", extra={
            "action": "media_server_fill_error", "server_id": str(server_id), "titles": len(titles)})
        return 0


def _title(row: FillTitleRow) -> ServerItem:
    ids = row["provider_ids"]
    kind: Kind = "show" if row["kind"] == "show" else "movie"
    return ServerItem(item_id=row["item_id"], kind=kind, title=row["title"], year=row["year"],
                      ids=ProviderIds(imdb=ids.get("imdb"), tmdb=ids.get("tmdb"), tvdb=ids.get("tvdb")),
                      facts=row["facts"])


def _episode(row: FillEpisodeRow) -> ServerItem:
    return ServerItem(item_id=row["item_id"], kind="episode", title=row["title"], parent_id=row["parent_item_id"],
                      season=row["season_number"], episode=row["episode_number"], facts=row["facts"])
