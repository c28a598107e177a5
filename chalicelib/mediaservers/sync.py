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
from dataclasses import asdict, dataclass
from typing import Any
from uuid import UUID

from chalicelib import cache, db
from chalicelib.catalog import store
from chalicelib.logs import get_logger
from chalicelib.mediaservers import clients, match, queries
from chalicelib.mediaservers.errors import ServerFailed
from chalicelib.mediaservers.items import BadItem, ServerItem
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


def run(sync_id: UUID) -> Counts | None:
    """Run the sync ``sync_id``; None when there is nothing to do (finished, or running elsewhere)."""
    with db.connection() as conn:
        sync = queries.sync_start(conn, id=sync_id, stale_seconds=STALE_SECONDS)
        server = queries.server_get(conn, id=sync["server_id"]) if sync else None
    if sync is None or server is None:
        return None
    counts = Counts()
    try:
        remote_id, items = _listing(server, counts)
        _store(server, remote_id, sync_id, items, counts)
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


def _listing(server: ServerRow, counts: Counts) -> tuple[str, list[ServerItem]]:
    """The server's own id and everything it holds (its identity recorded on the way); bad items counted as
    failed. An item listed twice (the library changed between two pages) is kept once, as last listed."""
    items: dict[str, ServerItem] = {}
    with clients.connect(server) as client:
        info = client.info()
        with db.connection() as conn:
            queries.server_set_remote(conn, id=server["id"], remote_id=info.remote_id, remote_name=info.name,
                                      remote_version=info.version)
        for item in client.items():
            if isinstance(item, BadItem):
                counts.failed += 1
                get_logger().info("media server item skipped", extra={
                    "action": "media_server_item_bad", "server_id": str(server["id"]), "reason": str(item)})
                continue
            items[item.item_id] = item
            if len(items) > MAX_ITEMS:
                raise ServerFailed(f"The server holds more than {MAX_ITEMS:,} items; /seen/ mirrors at most that")
    return info.remote_id, list(items.values())


def _store(server: ServerRow, remote_id: str, sync_id: UUID, items: list[ServerItem], counts: Counts) -> None:
    with db.transaction() as conn:
        links = match.links(conn, items)

    def opener(item_id: str) -> str:
        return clients.open_url(server["kind"], server["url"], remote_id, item_id)

    for start in range(0, len(items), BATCH):
        batch = items[start:start + BATCH]
        with db.transaction() as conn:
            _write(conn, server["id"], sync_id, batch, links, opener, counts)
    with db.connection() as conn:
        counts.pruned = queries.items_prune(conn, server_id=server["id"], seen_ids=[i.item_id for i in items])
    if counts.added or counts.updated or counts.pruned:
        cache.on_media_server_synced()


def _write(conn: Any, server_id: UUID, sync_id: UUID, batch: list[ServerItem], links: dict[str, Link],
           opener: Callable[[str], str], counts: Counts) -> None:
    rows = [_row(item, links.get(item.item_id, Link()), opener(item.item_id)) for item in batch]
    stored = {r["item_id"]: r["fingerprint"]
              for r in queries.item_fingerprints(conn, server_id=server_id, item_ids=[r["item_id"] for r in rows])}
    changed = [r for r in rows if stored.get(r["item_id"]) != r["fingerprint"]]
    counts.added += sum(1 for r in changed if r["item_id"] not in stored)
    counts.updated += sum(1 for r in changed if r["item_id"] in stored)
    counts.unmatched += sum(1 for r in rows if _unmatched(r))
    if changed:
        queries.items_upsert(conn, server_id=server_id, sync_id=sync_id, items=store.to_json(changed))


def _row(item: ServerItem, link: Link, open_url: str) -> dict[str, Any]:
    row = {"item_id": item.item_id, "kind": item.kind, "parent_item_id": item.parent_id, "title": item.title,
           "year": item.year, "season_number": item.season, "episode_number": item.episode,
           "provider_ids": item.ids.as_json(), "facts": item.facts, "playable": item.playable, "open_url": open_url,
           "media_id": link.media_id, "episode_id": link.episode_id}
    # The row is built in one fixed order from one parser, so its JSON is stable without sorting the keys.
    row["fingerprint"] = hashlib.sha1(json.dumps(row, default=str, separators=(",", ":")).encode(),
                                      usedforsecurity=False).hexdigest()
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
