"""One sync of a media server: list everything it holds, match it to the catalog, store it, prune the rest.

Runs on the imports consumer (heavy background work, apart from worker events), one message per sync.
The listing is read a few pages ahead on a thread of its own while the pages already read are matched and
written, a chunk at a time, with a fixed number of statements per chunk (never one per item): fetching
and storing overlap, and the library is never held whole. Everything is written in one transaction, so a
server that fails halfway changes nothing (no item pruned because a page never came, no half library).
An item the server describes badly is counted as failed and the sync goes on. An item whose stored tag
is unchanged is only noted as seen; one whose stored fingerprint is unchanged is not rewritten. A season
or an episode is linked once its show was listed (one listed before its show waits for it). What this
sync did not list is pruned. A redelivered message finds its sync finished (or running elsewhere) and
does nothing; a sync whose process died is taken up again once stale.

A title the catalog lacks is added to it from the server's facts: by the sync itself for the first few
(``INLINE_TITLES``: a title added to the server is owned as soon as its sync is done), else by the catalog
fill (``fill.py``) that runs right after the sync is marked completed, in the same consumer invocation. A
first sync of a big library is thus done once its mirror is written (its rows keep the server's ids), and
the fill adds the titles and links the rows in bounded chunks of its own; a fill cut short is taken up
again by the redelivered message, or by the next sync's fill.
"""

from __future__ import annotations

import hashlib
import importlib
from collections import defaultdict
from collections.abc import Mapping
from contextlib import closing
from dataclasses import dataclass, field
from typing import Any
from uuid import UUID

import orjson

from chalicelib import cache, db, gcpause
from chalicelib.catalog import store
from chalicelib.db import Conn
from chalicelib.logs import get_logger
from chalicelib.mediaservers import clients, fill, match, queries
from chalicelib.mediaservers.ahead import ahead, chunks
from chalicelib.mediaservers.errors import ServerFailed
from chalicelib.mediaservers.items import BadItem, Known, ServerItem, Unchanged
from chalicelib.mediaservers.match import NO_LINK, Link
from chalicelib.mediaservers.queries import ServerRow

STALE_SECONDS = 20 * 60  # past Lambda's 15 minutes: a sync "running" this long has died
CHUNK = 1000  # items matched and written together: two of Jellyfin's pages, about a dozen statements
PAGES_AHEAD = 4  # chunks read ahead of the one being stored (memory: a few thousand items)
MAX_ITEMS = 200_000  # a library larger than this is refused (the ids listed are kept for the prune)
# New titles a sync adds to the catalog itself (a chunk's, while the sync's total stays within this): the usual
# re-sync's few are owned at once, at a fraction of a second; a chunk with more leaves them to the fill.
INLINE_TITLES = 250

Listed = ServerItem | Unchanged | BadItem


def _encode(value: Any) -> bytes:
    """Compact JSON in UTF-8 (a row's text, whose hash is its fingerprint): for ASCII text, byte for byte what
    ``json.dumps(separators=(",", ":"))`` wrote before, so the stored fingerprints of such rows still hold."""
    return orjson.dumps(value, default=str)


@dataclass
class Counts:
    added: int = 0
    updated: int = 0
    pruned: int = 0
    unmatched: int = 0
    failed: int = 0
    linked: int = 0  # items the catalog fill linked after the sync (not one of the sync row's counts)

    @property
    def changed(self) -> bool:
        """Whether the mirror changed (what reads it, the calendar of owned shows, has something to redo)."""
        return bool(self.added or self.updated or self.pruned or self.linked)

    def stored(self) -> dict[str, int]:
        """The sync row's counts."""
        return {"added": self.added, "updated": self.updated, "pruned": self.pruned, "unmatched": self.unmatched,
                "failed": self.failed}


@dataclass
class Stored:
    """The mirror of the server before this sync, read in one query: each item's fingerprint and tag, the tags
    a client may trust (items linked to the catalog) and the catalog titles of the shows."""

    rows: dict[str, tuple[str, str | None]] = field(default_factory=dict)
    tags: dict[str, str] = field(default_factory=dict)
    shows: dict[str, int] = field(default_factory=dict)


def run(sync_id: UUID) -> Counts | None:
    """Run the sync ``sync_id``, then its catalog fill; None when there is nothing to do (finished and filled,
    or running elsewhere)."""
    with db.connection() as conn:
        sync = queries.sync_start(conn, id=sync_id, stale_seconds=STALE_SECONDS)
        server = queries.server_get(conn, id=sync["server_id"]) if sync else None
    if sync is None or server is None:
        filled = fill.run(sync_id)  # a redelivered message of a sync whose fill was cut short
        return Counts(unmatched=filled.unmatched, linked=filled.linked) if filled and filled.linked else None
    counts = Counts()
    try:
        with gcpause.paused():  # the listing's items form no cycle: a 20k first sync spent half its time in gc
            _sync(server, sync_id, counts)
    except ServerFailed as exc:
        return _failed(sync_id, server, counts, str(exc))
    except Exception:
        get_logger().exception("media server sync failed", extra={
            "action": "media_server_sync_error", "server_id": str(server["id"])})
        return _failed(sync_id, server, counts, "The sync stopped on an internal error; it is logged")
    _finish(sync_id, server, "completed", counts, None)
    filled = fill.run(sync_id)
    if filled is not None:
        counts.linked, counts.unmatched = filled.linked, filled.unmatched  # as the fill wrote it on the sync row
    return counts


def _sync(server: ServerRow, sync_id: UUID, counts: Counts) -> None:
    stored = _stored(server["id"])
    with clients.connect(server) as client:
        info = client.info()
        with db.connection() as conn:
            queries.server_set_remote(conn, id=server["id"], remote_id=info.remote_id, remote_name=info.name,
                                      remote_version=info.version)
        # The stored rows' deep links are made from the server's address and id: when either moves, no tag holds.
        known = Known(stored.tags, salt=f"{server['kind']}|{server['url']}|{info.remote_id}")
        listing = ahead(chunks(client.items(known), CHUNK), PAGES_AHEAD)
        # The cache's client, a slow import, is loaded while the first pages are read: a fresh consumer's first
        # sync otherwise loads it after its last chunk, on the way to "completed" (0.6 s of 5 in the bench).
        importlib.import_module("redis")
        with db.transaction() as conn, closing(listing):
            mirror = Mirror(conn, server, sync_id, info.remote_id, stored, counts)
            for chunk in listing:
                mirror.add(chunk)
            mirror.finish()
    if counts.changed:
        cache.on_media_server_synced()


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


class Mirror:
    """The server's mirror as one sync writes it, chunk by chunk: what was listed (for the prune), the shows
    listed so far and their links (for their seasons and episodes), the children still waiting for their
    show, and the shows that moved to another title."""

    def __init__(self, conn: Conn, server: ServerRow, sync_id: UUID, remote_id: str, stored: Stored,
                 counts: Counts) -> None:
        self.conn, self.server, self.sync_id = conn, server, sync_id
        self.stored, self.counts = stored, counts
        # An admin's manual matches win over the sync's own.
        self.manual = {row["item_id"]: Link(row["media_id"], row["episode_id"])
                       for row in queries.manual_links(conn, server_id=server["id"])}
        self.seen: set[str] = set()
        self.shows: dict[str, int | None] = {}
        self.waiting: dict[str, list[ServerItem]] = defaultdict(list)
        self.moved: list[dict[str, Any]] = []
        self.inline = INLINE_TITLES
        self.open_url = clients.opener(server["kind"], server["url"], remote_id)

    def add(self, chunk: list[Listed]) -> None:
        """Match and write one chunk of the listing (its titles, and the children whose show is listed)."""
        items, arrived = self._note(chunk)
        titles = [i for i in items if i.kind in ("movie", "show")]
        found = match.titles(self.conn, titles)
        missing = match.addable(titles, found)
        if missing and len(missing) <= self.inline:  # else the catalog fill adds them once the sync is done
            self.inline -= len(missing)
            found.update(match.added(self.conn, missing, [i for i in items if i.kind == "episode"]))
        links = {i.item_id: self.manual.get(i.item_id) or Link(found.get(i.item_id)) for i in titles}
        for show in (i for i in titles if i.kind == "show"):
            self._listed_show(show.item_id, links[show.item_id].media_id)
            arrived.append(show.item_id)
        ready = [child for show_id in arrived for child in self.waiting.pop(show_id, ())]  # listed earlier
        ready += [i for i in items if i.kind in ("season", "episode") and self._ready(i)]
        links.update(self._children(ready, self.shows))
        self._write(titles + ready, links)

    def finish(self) -> None:
        """The children whose show was never listed (linked as stored), shows' moves, then the prune."""
        rest = [item for waiting in self.waiting.values() for item in waiting]
        self.waiting.clear()
        if rest:
            self._write(rest, self._children(rest, {**self.stored.shows, **self.shows}))
        if self.moved:  # a show now another title: its unchanged seasons and episodes follow it
            self.counts.updated += queries.items_relink_children(self.conn, server_id=self.server["id"],
                                                                 shows=store.to_json(self.moved))
        self.counts.pruned = queries.items_prune(self.conn, server_id=self.server["id"], seen_ids=self.seen)

    def _note(self, chunk: list[Listed]) -> tuple[list[ServerItem], list[str]]:
        """The chunk's items to match and write (an item listed twice kept once, as last listed) and its
        unchanged shows (their stored links noted as listed); every id noted as seen, bad items counted."""
        items: dict[str, ServerItem] = {}
        unchanged_shows: list[str] = []
        for entry in chunk:
            if isinstance(entry, BadItem):
                self.counts.failed += 1
                get_logger().info("media server item skipped", extra={
                    "action": "media_server_item_bad", "server_id": str(self.server["id"]), "reason": str(entry)})
                continue
            self.seen.add(entry.item_id)
            if isinstance(entry, ServerItem):
                items[entry.item_id] = entry
            elif entry.item_id in self.stored.shows:
                self.shows[entry.item_id] = self.stored.shows[entry.item_id]
                unchanged_shows.append(entry.item_id)
        if len(self.seen) > MAX_ITEMS:
            raise ServerFailed(f"The server holds more than {MAX_ITEMS:,} items; /seen/ mirrors at most that")
        return list(items.values()), unchanged_shows

    def _listed_show(self, item_id: str, media_id: int | None) -> None:
        self.shows[item_id] = media_id
        if item_id in self.stored.shows and media_id != self.stored.shows[item_id]:
            self.moved.append({"item_id": item_id, "media_id": media_id})

    def _ready(self, item: ServerItem) -> bool:
        """Whether the child's show was listed; if not, it waits for it."""
        if item.parent_id is None or item.parent_id in self.shows:
            return True
        self.waiting[item.parent_id].append(item)
        return False

    def _children(self, items: list[ServerItem], shows: Mapping[str, int | None]) -> dict[str, Link]:
        links = match.children(self.conn, items, shows) if items else {}
        return {**links, **{i.item_id: self.manual[i.item_id] for i in items if i.item_id in self.manual}}

    def _write(self, items: list[ServerItem], links: dict[str, Link]) -> None:
        """Store the new and changed rows. A row whose fingerprint is stored already is rewritten only to
        record the server's new tag (not counted as updated), and not at all when the tag is the stored one
        too (an unlinked item, read again to be matched again)."""
        unique = {item.item_id: item for item in items}  # one row per item: an upsert may not touch a row twice
        rows = [_row(item, links.get(item_id, NO_LINK), self.open_url(item_id)) for item_id, item in unique.items()]
        self.counts.unmatched += sum(1 for r in rows if r.unmatched)
        new: list[bytes] = []
        changed: list[bytes] = []
        for row in rows:
            before = self.stored.rows.get(row.item_id)
            if before == (row.fingerprint, row.tag):
                continue
            if before is None:
                self.counts.added += 1
                new.append(row.json)
            else:
                self.counts.updated += before[0] != row.fingerprint
                changed.append(row.json)
            self.stored.rows[row.item_id] = (row.fingerprint, row.tag)  # an item listed twice is counted once
        server_id = self.server["id"]
        if new:
            queries.items_insert(self.conn, server_id=server_id, sync_id=self.sync_id, items=_array(new))
        if changed:
            queries.items_upsert(self.conn, server_id=server_id, sync_id=self.sync_id, items=_array(changed))


@dataclass(frozen=True, slots=True)
class Row:
    """A mirror row to write: what the sync compares, and the row as JSON (``items_upsert``'s array element)."""

    item_id: str
    fingerprint: str
    tag: str | None
    unmatched: bool  # a title not linked to the catalog, or an episode not linked to its show's episode
    json: bytes


def _array(rows: list[bytes]) -> str:
    """The rows as one JSON array (the query's ``jsonb_to_recordset`` parameter)."""
    return (b"[%b]" % b",".join(rows)).decode()


def _row(item: ServerItem, link: Link, open_url: str) -> Row:
    row = {"item_id": item.item_id, "kind": item.kind, "parent_item_id": item.parent_id, "title": item.title,
           "year": item.year, "season_number": item.season, "episode_number": item.episode,
           "provider_ids": item.ids.as_json(), "facts": item.facts, "playable": item.playable, "open_url": open_url,
           "media_id": link.media_id, "episode_id": link.episode_id}
    # The row is built in one fixed order from one parser, so its JSON is stable without sorting the keys. It
    # is encoded once: the fingerprint hashes it, and the text sent is it with the fingerprint and tag added.
    text = _encode(row)
    fingerprint = hashlib.sha1(text, usedforsecurity=False).hexdigest()
    unmatched = link.media_id is None if item.kind in ("movie", "show") else (
        item.kind == "episode" and link.episode_id is None)
    return Row(item.item_id, fingerprint, item.tag, unmatched,
               b'%b,"fingerprint":"%b","source_tag":%b}' % (text[:-1], fingerprint.encode(), _encode(item.tag)))


def _failed(sync_id: UUID, server: ServerRow, counts: Counts, error: str) -> Counts:
    """Nothing was written (the transaction rolled back): only the bad items found are counted."""
    counts = Counts(failed=counts.failed)
    _finish(sync_id, server, "failed", counts, error)
    return counts


def _finish(sync_id: UUID, server: ServerRow, status: str, counts: Counts, error: str | None) -> None:
    with db.connection() as conn:
        queries.sync_finish(conn, id=sync_id, status=status, error=error, **counts.stored())
    get_logger().info("media server synced", extra={
        "action": "media_server_synced", "server_id": str(server["id"]), "kind": server["kind"], "status": status,
        **counts.stored(), "error": error})
