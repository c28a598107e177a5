"""One sync of a media server: list everything it holds, match it to the catalog, store it, prune the rest.

Runs on the imports consumer (heavy background work, apart from worker events), one message per sync.
The listing is read whole before anything is written: a server that fails halfway changes nothing (no
item pruned because a page never came). An item the server describes badly is counted as failed and
the sync goes on. Items are written in batches; one whose stored fingerprint is unchanged is only
left alone. What this sync did not list is pruned. A redelivered message finds its sync finished
(or running elsewhere) and does nothing; a sync whose process died is taken up again once stale.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from typing import Any
from uuid import UUID

from chalicelib import cache, db
from chalicelib.catalog import store
from chalicelib.logs import get_logger
from chalicelib.mediaservers import clients, match, queries
from chalicelib.mediaservers.errors import ServerFailed
from chalicelib.mediaservers.items import BadItem, Known, ServerItem
from chalicelib.mediaservers.match import Link
from chalicelib.mediaservers.queries import ServerRow

STALE_SECONDS = 20 * 60  # past Lambda's 15 minutes: a sync "running" this long has died
BATCH = 1000
MAX_ITEMS = 200_000  # a library larger than this is refused rather than held in memory


@dataclass
class Counts:
    added: int = 0
    updated: int = 0
    pruned: int = 0
    unmatched: int = 0
    failed: int = 0

    @property
    def changed(self) -> bool:
        """Whether the mirror changed (what reads it, the calendar of owned shows, has something to redo)."""
        return bool(self.added or self.updated or self.pruned)


@dataclass
class Listing:
    """What one sync listed: the server's id, the items to read into the mirror (new or changed, or not linked
    to the catalog yet) and the ids of every item listed (what is not among them is pruned)."""

    remote_id: str
    changed: dict[str, ServerItem] = field(default_factory=dict)
    seen: set[str] = field(default_factory=set)


@dataclass
class Stored:
    """The mirror of the server before this sync, read in one query: each item's fingerprint and tag, the tags
    a client may trust (items linked to the catalog) and the catalog titles of the shows."""

    rows: dict[str, tuple[str, str | None]] = field(default_factory=dict)
    tags: dict[str, str] = field(default_factory=dict)
    shows: dict[str, int] = field(default_factory=dict)


def run(sync_id: UUID) -> Counts | None:
    """Run the sync ``sync_id``; None when there is nothing to do (finished, or running elsewhere)."""
    with db.connection() as conn:
        sync = queries.sync_start(conn, id=sync_id, stale_seconds=STALE_SECONDS)
        server = queries.server_get(conn, id=sync["server_id"]) if sync else None
    if sync is None or server is None:
        return None
    counts = Counts()
    try:
        stored = _stored(server["id"])
        listing = _listing(server, stored, counts)
        _store(server, sync_id, listing, stored, counts)
    except ServerFailed as exc:
        _finish(sync_id, server, "failed", counts, str(exc))
        return counts
    except Exception:
        get_logger().exception("media server sync failed", extra={
            "action": "media_server_sync_error", "server_id": str(server["id"])})
        _finish(sync_id, server, "failed", counts, "The sync stopped on an internal error; it is logged")
        return counts
    _finish(sync_id, server, "completed", counts, None)
    return counts


def _stored(server_id: UUID) -> Stored:
    stored = Stored()
    with db.connection() as conn:
        for row in queries.item_states(conn, server_id=server_id):
            stored.rows[row["item_id"]] = (row["fingerprint"], row["source_tag"])
            if row["linked"] and row["source_tag"] is not None:
                stored.tags[row["item_id"]] = row["source_tag"]
            if row["show_media_id"] is not None:
                stored.shows[row["item_id"]] = row["show_media_id"]
    return stored


def _listing(server: ServerRow, stored: Stored, counts: Counts) -> Listing:
    """Everything the server holds (its identity recorded on the way): unchanged items only noted as seen,
    the rest read; bad items counted as failed. An item listed twice (the library changed between two pages)
    is kept once, as last listed."""
    with clients.connect(server) as client:
        info = client.info()
        with db.connection() as conn:
            queries.server_set_remote(conn, id=server["id"], remote_id=info.remote_id, remote_name=info.name,
                                      remote_version=info.version)
        listing = Listing(info.remote_id)
        # The stored rows' deep links are made from the server's address and id: when either moves, no tag holds.
        known = Known(stored.tags, salt=f"{server['kind']}|{server['url']}|{info.remote_id}")
        for item in client.items(known):
            if isinstance(item, BadItem):
                counts.failed += 1
                get_logger().info("media server item skipped", extra={
                    "action": "media_server_item_bad", "server_id": str(server["id"]), "reason": str(item)})
                continue
            if isinstance(item, ServerItem):
                listing.changed[item.item_id] = item
            listing.seen.add(item.item_id)
            if len(listing.seen) > MAX_ITEMS:
                raise ServerFailed(f"The server holds more than {MAX_ITEMS:,} items; /seen/ mirrors at most that")
    return listing


def _store(server: ServerRow, sync_id: UUID, listing: Listing, stored: Stored, counts: Counts) -> None:
    items = list(listing.changed.values())
    unchanged_shows = {k: v for k, v in stored.shows.items() if k not in listing.changed}
    with db.transaction() as conn:
        links = match.links(conn, items, shows=unchanged_shows)
        links.update({row["item_id"]: Link(row["media_id"], row["episode_id"])  # an admin's manual matches win
                      for row in queries.manual_links(conn, server_id=server["id"])})

    def opener(item_id: str) -> str:
        return clients.open_url(server["kind"], server["url"], listing.remote_id, item_id)

    for start in range(0, len(items), BATCH):
        batch = items[start:start + BATCH]
        with db.transaction() as conn:
            _write(conn, server["id"], sync_id, batch, links, opener, stored.rows, counts)
    moved = [{"item_id": i.item_id, "media_id": links.get(i.item_id, Link()).media_id} for i in items
             if i.kind == "show" and i.item_id in stored.shows
             and links.get(i.item_id, Link()).media_id != stored.shows[i.item_id]]
    with db.connection() as conn:
        if moved:  # a show now another title: its unchanged seasons and episodes follow it
            counts.updated += queries.items_relink_children(conn, server_id=server["id"], shows=store.to_json(moved))
        counts.pruned = queries.items_prune(conn, server_id=server["id"], seen_ids=list(listing.seen))
    if counts.changed:
        cache.on_media_server_synced()


def _write(conn: Any, server_id: UUID, sync_id: UUID, batch: list[ServerItem], links: dict[str, Link],
           opener: Callable[[str], str], stored: dict[str, tuple[str, str | None]], counts: Counts) -> None:
    """Store the batch's new and changed rows. A row whose fingerprint is stored already is rewritten only to
    record the server's new tag (not counted as updated), and not at all when the tag is the stored one too
    (an unlinked item, read again to be matched again)."""
    rows = [_row(item, links.get(item.item_id, Link()), opener(item.item_id)) for item in batch]
    counts.unmatched += sum(1 for r in rows if _unmatched(r))
    writes = [r for r in rows if stored.get(r["item_id"]) != (r["fingerprint"], r["source_tag"])]
    for row in writes:
        before = stored.get(row["item_id"])
        if before is None:
            counts.added += 1
        elif before[0] != row["fingerprint"]:
            counts.updated += 1
    if writes:
        queries.items_upsert(conn, server_id=server_id, sync_id=sync_id, items=store.to_json(writes))


def _row(item: ServerItem, link: Link, open_url: str) -> dict[str, Any]:
    row = {"item_id": item.item_id, "kind": item.kind, "parent_item_id": item.parent_id, "title": item.title,
           "year": item.year, "season_number": item.season, "episode_number": item.episode,
           "provider_ids": item.ids.as_json(), "facts": item.facts, "playable": item.playable, "open_url": open_url,
           "media_id": link.media_id, "episode_id": link.episode_id}
    # The row is built in one fixed order from one parser, so its JSON is stable without sorting the keys.
    row["fingerprint"] = hashlib.sha1(json.dumps(row, default=str, separators=(",", ":")).encode(),
                                      usedforsecurity=False).hexdigest()
    row["source_tag"] = item.tag
    return row


def _unmatched(row: dict[str, Any]) -> bool:
    """A title not linked to the catalog, or an episode not linked to its show's episode."""
    if row["kind"] in ("movie", "show"):
        return row["media_id"] is None
    return row["kind"] == "episode" and row["episode_id"] is None


def _finish(sync_id: UUID, server: ServerRow, status: str, counts: Counts, error: str | None) -> None:
    with db.connection() as conn:
        queries.sync_finish(conn, id=sync_id, status=status, error=error, **asdict(counts))
    get_logger().info("media server synced", extra={
        "action": "media_server_synced", "server_id": str(server["id"]), "kind": server["kind"], "status": status,
        **asdict(counts), "error": error})
