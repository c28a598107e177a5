"""A list's sync, run by the imports consumer: read the whole list, match its titles (looking up the missing
ones), then make the collection's items exactly the list's in one transaction.

Reading comes first and writes nothing: a list that cannot be read whole (gone, refused, too large, not a
list) fails the sync and leaves the items as they were. The sync takes its request with a conditional
UPDATE, so a redelivered message, or one replaced by a newer request, does nothing.

An uploaded export (``files``) was read whole when it was sent: its entries wait in ``collection_source_files``
and this sync applies them instead of reading the list, then drops them (a later sync reads the list's URL).
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Callable
from typing import Any
from uuid import UUID

from chalicelib import cache, db
from chalicelib.config import ListSettings, get_settings
from chalicelib.lists import files, imdb, letterboxd, lookup, queries, refs, trakt
from chalicelib.lists.entries import Entry, Fetch, ListData, ListRef
from chalicelib.lists.errors import ListFailed, UnsupportedListUrl
from chalicelib.lists.fetch import fetcher
from chalicelib.lists.queries import Claimed, FileRow
from chalicelib.logs import get_logger

READERS: dict[str, tuple[str, Callable[[ListRef, Fetch, ListSettings], ListData]]] = {
    "trakt": ("Trakt", trakt.read), "letterboxd": ("Letterboxd", letterboxd.read), "imdb": ("IMDb", imdb.read)}
STALE_SECONDS = 15 * 60
UNMATCHED_SHOWN = 50
NAME_LIMIT = 190  # room for " (2)" within the collection name's 200


@dataclasses.dataclass(frozen=True)
class Outcome:
    title: str
    media_ids: list[int]
    entries: int
    unmatched: list[str]


def run(collection_id: UUID, request_id: UUID) -> None:
    """Sync the collection for this request (nothing when the request is done or replaced)."""
    with db.transaction() as conn:
        claimed = queries.source_claim(conn, collection_id=collection_id, request_id=request_id,
                                       stale_seconds=STALE_SECONDS)
        uploaded = queries.file_get(conn, collection_id=collection_id) if claimed is not None else None
    if claimed is None:
        return
    log = {"collection_id": str(collection_id), "kind": claimed["kind"], "file": str(uploaded is not None)}
    try:
        outcome = _read_and_match(claimed, get_settings().lists, uploaded)
    except ListFailed as exc:
        _fail(claimed, request_id, exc.code, str(exc), log)
        return
    except db.DatabaseUnavailable:
        raise  # redelivered later; the stale claim is taken again
    except Exception:
        get_logger().exception("list sync failed", extra={"action": "list_sync_failed", **log})
        _fail(claimed, request_id, "list_sync_failed", "The list could not be synced because of an "
              "internal error; try again later", log)
        return
    _write(claimed, request_id, outcome, uploaded is not None)
    get_logger().info("list synced", extra={"action": "list_synced", **log, "entries": outcome.entries,
                                            "items": len(outcome.media_ids), "unmatched": len(outcome.unmatched)})


def _read_and_match(claimed: Claimed, settings: ListSettings, uploaded: FileRow | None = None) -> Outcome:
    """The list (read from its service, or an uploaded export's entries) matched to the catalog."""
    kind = claimed["kind"]
    service = READERS[kind][0]
    with fetcher(settings, service) as fetch:
        if uploaded is not None:
            data = ListData(title=uploaded["title"], entries=files.entries_from(uploaded["entries"]))
        else:
            data = _read(claimed, fetch, settings)
        entries = data.entries
        if kind == "letterboxd":
            try:
                entries = _with_film_ids(data.entries, fetch, settings)
            except ListFailed:
                if uploaded is None:
                    raise
                # A file's films still match by title and year: Letterboxd being down does not fail the import.
    numbered = dict(enumerate(entries))
    matched = _resolve(numbered)
    unresolved = {n: e for n, e in numbered.items() if matched.get(n) is None and (e.imdb_id or e.tmdb_id)}
    if unresolved:
        found = lookup.missing(unresolved, settings.max_lookups)
        numbered.update(found)
        matched.update({n: m for n, m in _resolve(found).items() if m is not None})
    media_ids = list(dict.fromkeys(m for n in sorted(numbered) if (m := matched.get(n)) is not None))
    unmatched = [numbered[n].label for n in sorted(numbered) if matched.get(n) is None]
    return Outcome(title=data.title, media_ids=media_ids, entries=len(entries), unmatched=unmatched)


def _read(claimed: Claimed, fetch: Fetch, settings: ListSettings) -> ListData:
    if claimed["url"] is None:  # a one-off import whose file was applied: nothing to read again
        raise ListFailed("list_from_file", "This list was imported from a file: upload a newer export to update it")
    try:
        ref = refs.parse(claimed["url"])
    except UnsupportedListUrl as exc:  # stored before a rule changed: say so instead of failing silently
        raise ListFailed("unsupported_list_url", str(exc)) from None
    return READERS[ref.kind][1](ref, fetch, settings)


def _resolve(entries: dict[int, Entry]) -> dict[int, int | None]:
    if not entries:
        return {}
    payload = json.dumps([{"n": n, "media_type": e.media_type, "imdb_id": e.imdb_id, "tmdb_id": e.tmdb_id,
                           "title": e.title, "year": e.year} for n, e in entries.items()])
    with db.connection() as conn:
        return {row["n"]: row["media_id"] for row in queries.resolve(conn, entries=payload)}


def _with_film_ids(entries: list[Entry], fetch: Fetch, settings: ListSettings) -> list[Entry]:
    """Letterboxd entries with the ids of their film pages: known slugs from the table, up to
    ``max_film_pages`` new ones read now (the rest keep their title and year, and are read next time)."""
    slugs = list(dict.fromkeys(e.slug for e in entries if e.slug))
    with db.connection() as conn:
        known: dict[str, dict[str, Any]] = {row["slug"]: dict(row) for row in queries.film_ids(conn, slugs=slugs)}
    fresh: list[dict[str, Any]] = []
    for slug in [s for s in slugs if s not in known][:settings.max_film_pages]:
        try:
            ids = letterboxd.film_ids(slug, fetch, settings)
        except ListFailed as exc:
            if exc.code != "list_not_found":
                raise
            ids = letterboxd.FilmIds()  # a film page gone: remembered as naming nothing
        fresh.append({"slug": slug, "media_type": ids.media_type, "tmdb_id": ids.tmdb_id, "imdb_id": ids.imdb_id})
    if fresh:
        with db.transaction() as conn:
            queries.film_ids_store(conn, items=json.dumps(fresh))
        known.update({row["slug"]: row for row in fresh})
    result = []
    for entry in entries:
        row = known.get(entry.slug or "")
        if row is not None and (row["tmdb_id"] or row["imdb_id"]):
            entry = dataclasses.replace(entry, media_type=row["media_type"] or "movie", tmdb_id=row["tmdb_id"],
                                        imdb_id=row["imdb_id"])
        result.append(entry)
    return result


def _write(claimed: Claimed, request_id: UUID, outcome: Outcome, from_file: bool) -> None:
    collection_id, user_id = claimed["collection_id"], claimed["user_id"]
    with db.transaction() as conn:
        if queries.collection_lock(conn, user_id=user_id, collection_id=collection_id) is None:
            return  # deleted meanwhile
        queries.items_replace(conn, collection_id=collection_id, media_ids=outcome.media_ids)
        if not claimed["titled"]:
            queries.collection_rename(conn, user_id=user_id, collection_id=collection_id,
                                      base=outcome.title[:NAME_LIMIT].strip() or "Imported list")
        queries.collection_touch(conn, collection_id=collection_id)
        queries.source_done(conn, collection_id=collection_id, request_id=request_id, entries=outcome.entries,
                            unmatched=len(outcome.unmatched),
                            unmatched_titles=json.dumps(outcome.unmatched[:UNMATCHED_SHOWN]))
        if from_file:  # applied: the next sync reads the list's URL (or there is none)
            queries.file_delete(conn, collection_id=collection_id)
    cache.on_collections_changed(user_id)


def _fail(claimed: Claimed, request_id: UUID, code: str, message: str, log: dict[str, str]) -> None:
    get_logger().info("list sync refused", extra={"action": "list_sync_refused", **log, "code": code,
                                                  "reason": message})
    with db.transaction() as conn:
        queries.source_fail(conn, collection_id=claimed["collection_id"], request_id=request_id, error_code=code,
                            error=message)
    cache.on_collections_changed(claimed["user_id"])
