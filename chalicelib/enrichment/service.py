"""Enrichment at a glance: how far each source got, pausing its scheduled work, retrying what failed, and
matching by hand the media server items no sync could link.

Each source keeps its own state where its work already writes it (``enrichment.sql`` says which columns);
nothing here copies it. A pause is a row of ``enrichment_pauses`` that the source's scheduled handlers read
(``jobruns.unless_paused``). A retry makes the failed and not-found items pending again, where the source's
next run (or the title's next view, for the lazy TMDB/TVDB paths) asks again. A manual match sets
``manual_match`` on the item, so the media server sync keeps the admin's link (its upsert reads the flag).
"""

from __future__ import annotations

import base64
import binascii
import json
from datetime import datetime
from datetime import time as clock_time
from typing import Any, cast
from uuid import UUID

from chalicelib import cache, clock, db, errors, jsondepth
from chalicelib.enrichment import queries
from chalicelib.enrichment.models import (
    LABELS,
    SOURCES,
    EnrichmentOverview,
    MatchedItem,
    RetryQueued,
    SourceCoverage,
    SourceName,
    UnmatchedItem,
    UnmatchedPage,
    UnmatchedQuery,
)
from chalicelib.jobruns import queries as jobruns_queries
from chalicelib.logs import get_logger
from chalicelib.mediaservers import service as mediaservers
from chalicelib.ratings import service as ratings
from chalicelib.settings import credentials

PAUSABLE = {"tmdb", "omdb", "media_servers", "channels"}  # TVDB is asked inline: it has no schedule of its own


class UnknownSource(errors.NotFound):
    code = "unknown_source"


class NotPausable(errors.Conflict):
    code = "not_pausable"


class NotConfigured(errors.Conflict):
    code = "not_configured"


class UnmatchedItemNotFound(errors.NotFound):
    code = "item_not_found"


class InvalidCursor(errors.BadRequest):
    code = "invalid_cursor"


def source_name(raw: str) -> SourceName:
    """The source a path names (404 for any other)."""
    if raw not in SOURCES:
        raise UnknownSource(f"No enrichment source {raw!r}; the sources are {', '.join(SOURCES)}")
    return cast(SourceName, raw)


def _configured(source: str, row: queries.OverviewRow, omdb_key: bool) -> bool:
    catalog = credentials.catalog_settings()
    return {"tmdb": catalog.tmdb_enabled or catalog.igdb_enabled, "tvdb": catalog.tvdb_enabled,
            "omdb": omdb_key}.get(source, row["configured"])


def overview() -> EnrichmentOverview:
    """Every source's coverage: one statement for the counts, plus the ratings coverage for OMDb."""
    with db.connection() as conn:
        rows = queries.overview(conn)
    omdb = ratings.coverage()
    sources = []
    for row in rows:
        out = SourceCoverage(source=source_name(row["source"]), label=LABELS[source_name(row["source"])],
                             configured=_configured(row["source"], row, omdb.key_configured),
                             pausable=row["source"] in PAUSABLE, paused=row["paused"], matched=row["matched"],
                             not_found=row["not_found"], pending=row["pending"], failed=row["failed"],
                             last_run_at=row["last_run_at"], last_error=row["last_error"])
        if out.source == "omdb":  # the ratings pass's own figures: matched and total as it counts them
            out.matched, out.last_run_at, out.last_error = omdb.covered, omdb.last_run_at, omdb.last_error
            out.pending = max(0, omdb.total - omdb.covered - out.not_found)
        sources.append(out)
    return EnrichmentOverview(sources=sources)


def _coverage(source: SourceName) -> SourceCoverage:
    return next(s for s in overview().sources if s.source == source)


def set_paused(raw: str, paused: bool, user_id: UUID) -> SourceCoverage:
    """Pause or resume a source's scheduled work (idempotent); answers its coverage."""
    source = source_name(raw)
    if source not in PAUSABLE:
        raise NotPausable("TVDB has no scheduled work to pause: it is asked when a show's details are built")
    with db.connection() as conn:
        if paused:
            queries.pause(conn, source=source, user_id=user_id)
        else:
            queries.resume(conn, source=source)
    get_logger().info("enrichment source paused" if paused else "enrichment source resumed", extra={
        "action": "enrichment_paused" if paused else "enrichment_resumed", "source": source,
        "user_id": str(user_id)})
    return _coverage(source)


def _utc_midnight(now: datetime) -> datetime:
    return datetime.combine(now.date(), clock_time(0), tzinfo=now.tzinfo)


def retry(raw: str, user_id: UUID) -> RetryQueued:
    """Make the source's failed and not-found items pending again; media servers are synced now (unless the
    source is paused), the others ask again on their next run or the title's next view."""
    source = source_name(raw)
    if source == "tvdb" and not credentials.catalog_settings().tvdb_enabled:
        raise NotConfigured("Without a TVDB key a show's details would be fetched again for nothing")
    with db.transaction() as conn:
        if source == "tmdb":
            reset = queries.retry_tmdb(conn)
        elif source == "tvdb":
            reset = queries.retry_tvdb(conn)
        elif source == "omdb":
            reset = queries.retry_omdb(conn, midnight=_utc_midnight(clock.now()))
        elif source == "channels":
            reset = queries.retry_channels(conn)
        else:
            reset = queries.retry_media_servers(conn)
        servers = queries.enabled_servers(conn) if source == "media_servers" else []
        paused = jobruns_queries.source_paused(conn, source=source)
    queued = False
    if servers and not paused:
        for server_id in servers:
            mediaservers.request_sync(str(server_id))
        queued = True
    get_logger().info("enrichment retry", extra={"action": "enrichment_retry", "source": source, "reset": reset,
                                                 "queued": queued, "user_id": str(user_id)})
    return RetryQueued(source=source, reset=reset, queued=queued)


# --- the unmatched items ---------------------------------------------------------------------------------------


def _decode(raw: str | None, size: int) -> list[Any] | None:
    if raw is None:
        return None
    try:
        value = jsondepth.loads(base64.urlsafe_b64decode(raw.encode()))
    except (ValueError, binascii.Error):
        value = None
    if not isinstance(value, list) or len(value) != size or not isinstance(value[0], str):
        raise InvalidCursor("The cursor is not one this API gave")
    return value


def _encode(values: list[Any]) -> str:
    return base64.urlsafe_b64encode(json.dumps(values, default=str).encode()).decode()


def _like(q: str | None) -> str | None:
    """The ILIKE pattern "contains ``q``", its own wildcards taken literally."""
    return "%" + q.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%" if q else None


def unmatched(query: UnmatchedQuery) -> UnmatchedPage:
    """A keyset page of unmatched items, by title (media server items, or catalog titles without a TMDB id)."""
    limit, q = query.limit, _like(query.q)
    with db.connection() as conn:
        if query.source == "media_servers":
            after = _decode(query.cursor, 3)
            if after is not None:
                _server_uuid(str(after[1]), InvalidCursor("The cursor is not one this API gave"))
            rows = queries.unmatched_server_items(conn, q=q, after=tuple(after) if after else None,  # type: ignore[arg-type]
                                                  row_limit=limit + 1)
            items = [UnmatchedItem(id=f"{r['server_id']}~{r['item_id']}", source="media_servers", kind=r["kind"],
                                   title=r["title"], year=r["year"], server_name=r["server_name"])
                     for r in rows[:limit]]
            last = [rows[limit - 1]["sort_key"], str(rows[limit - 1]["server_id"]), rows[limit - 1]["item_id"]] \
                if len(rows) > limit else None
        else:
            after = _decode(query.cursor, 2)
            if after is not None and not isinstance(after[1], int):
                raise InvalidCursor("The cursor is not one this API gave")
            titles = queries.unmatched_titles(conn, q=q, after=tuple(after) if after else None,  # type: ignore[arg-type]
                                              row_limit=limit + 1)
            items = [UnmatchedItem(id=str(r["id"]), source="tmdb", kind=r["kind"], title=r["title"], year=r["year"])
                     for r in titles[:limit]]
            last = [titles[limit - 1]["sort_key"], titles[limit - 1]["id"]] if len(titles) > limit else None
    return UnmatchedPage(items=items, next_cursor=_encode(last) if last else None)


def _server_uuid(raw: str, error: errors.DomainError) -> UUID:
    try:
        return UUID(raw)
    except ValueError:
        raise error from None


def match(raw_source: str, item_id: str, media_id: int) -> MatchedItem:
    """Link a media server item to a catalog title of its kind; a show's seasons and episodes follow it (by
    season and episode number). The link survives later syncs."""
    source = source_name(raw_source)
    if source != "media_servers":
        raise UnmatchedItemNotFound("Only media server items are matched by hand")
    server_raw, sep, server_item = item_id.partition("~")
    not_found = UnmatchedItemNotFound("No such media server item")
    if not sep or not server_item:
        raise not_found
    server_id = _server_uuid(server_raw, not_found)
    with db.transaction() as conn:
        title = queries.title(conn, media_id=media_id)
        if title is None:
            raise errors.ValidationFailed("No such title", fields={"mediaId": "no catalog title has this id"})
        row = queries.match_item(conn, server_id=server_id, item_id=server_item, media_id=media_id)
        if row is None or row["kind"] not in ("movie", "show"):
            raise not_found  # seasons and episodes follow their show; the transaction rolls back
        if row["kind"] != title["media_type"]:
            raise errors.ValidationFailed(f"A {row['kind']} matches a {row['kind']}, not a {title['media_type']}",
                                          fields={"mediaId": f"not a {row['kind']}"})
        episodes = queries.match_children(conn, server_id=server_id, item_id=server_item, media_id=media_id) \
            if row["kind"] == "show" else 0
    cache.on_media_server_synced()
    get_logger().info("media server item matched by hand", extra={
        "action": "enrichment_manual_match", "server_id": str(server_id), "item_id": server_item,
        "media_id": media_id, "episodes_linked": episodes})
    return MatchedItem(id=item_id, source="media_servers", kind="show" if row["kind"] == "show" else "movie",
                       title=row["title"], year=row["year"], server_name=row["server_name"], media_id=row["media_id"],
                       episodes_linked=episodes)
