"""Library rules: browsing, the review queue, manual matches, rescans and parsing.

The library is instance-wide: every signed-in user sees the same items.
Changing what an item is (match, ignore, reset) and asking the worker to
rescan are admin actions, because they change the library for everyone.
A manual decision (``match_source = manual``: a match or an ignore) is
never overwritten by a rescan.
"""

from __future__ import annotations

import uuid

from chalicelib import aws, contentrating, db
from chalicelib.config import get_aws_settings, get_settings
from chalicelib.contentrating import Limit
from chalicelib.db import Conn
from chalicelib.library import errors, matching, naming, queries, upstream, views
from chalicelib.library.models import (
    LibraryItemDetail,
    LibraryPage,
    LibraryTitlePage,
    ListQuery,
    MatchRequest,
    MatchResult,
    ParseResult,
    RescanRequest,
    Resume,
    Scan,
    TitleVersions,
    TitleVersionsQuery,
    UnmatchedPage,
    UnmatchedQuery,
)
from chalicelib.library.rows import EpisodeRow, ItemRow, MediaRow, ScanRow, ShowEpisodeRow, TitleRow
from chalicelib.logs import get_logger
from chalicelib.messages import LibraryRescan
from chalicelib.profiles import guard as content_guard
from chalicelib.subtitles import sync as subtitle_sync


def item_uuid(item_id: str) -> uuid.UUID:
    """A path id as a uuid; anything else is simply not found."""
    try:
        return uuid.UUID(str(item_id))
    except ValueError:
        raise errors.ItemNotFound("No such library item") from None


def _pattern(query: str | None) -> str | None:
    if not query:
        return None
    escaped = query.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def list_items(query: ListQuery, limit: Limit | None = None) -> LibraryPage:
    """One page of library cards (newest first) with the given filters (``limit``: a kid profile's)."""
    filters = {"match_state": query.match_state, "media_type": query.media_type, "pattern": _pattern(query.query),
               "limit": limit}
    with db.connection() as conn:
        total = queries.count(conn, **filters)
        rows = queries.page(conn, **filters, row_limit=query.page_size,
                            row_offset=(query.page - 1) * query.page_size)
    return LibraryPage(items=[views.card(r) for r in rows], page=query.page, page_size=query.page_size, total=total)


def list_titles(query: ListQuery, limit: Limit | None = None) -> LibraryTitlePage:
    """One page of title cards (newest first): a title's files, the versions, are one card (``limit``: a kid
    profile's)."""
    filters = {"match_state": query.match_state, "media_type": query.media_type, "pattern": _pattern(query.query),
               "limit": limit}
    with db.connection() as conn:
        total = queries.title_count(conn, **filters)
        rows = queries.title_page(conn, **filters, row_limit=query.page_size,
                                  row_offset=(query.page - 1) * query.page_size)
    groups: dict[str, list[TitleRow]] = {}
    for row in rows:
        groups.setdefault(row["group_key"], []).append(row)
    return LibraryTitlePage(items=[views.title_card(g) for g in groups.values()], page=query.page,
                            page_size=query.page_size, total=total)


def title_versions(user_id: uuid.UUID, query: TitleVersionsQuery, limit: Limit | None = None) -> TitleVersions:
    """The files a title or episode page can play, best first, and this user's resume point.
    A show without an episode: the episode to watch next (in progress, else the first unwatched one held).
    A title a kid profile's ``limit`` hides is "not found"."""
    with db.connection() as conn:
        media = queries.media(conn, media_id=query.media_id) if limit is None else \
            queries.visible_media(conn, media_id=query.media_id, limit=limit)
        if media is None:
            raise errors.MediaNotFound(f"No catalog title with id {query.media_id}")
        episode_id = query.episode_id
        if media["media_type"] == "show" and episode_id is None:
            episode_id = queries.next_up_episode(conn, user_id=user_id, media_id=media["id"])
            if episode_id is None:
                return TitleVersions(media_id=media["id"])
        elif media["media_type"] != "show":
            episode_id = None
        rows = views.best_first(queries.versions_of(conn, media_id=media["id"], episode_id=episode_id))
        resume = resume_of(conn, user_id, media["id"], episode_id) if rows else None
    versions = [views.version(r) for r in rows]
    return TitleVersions(media_id=media["id"], episode=views.episode_of(rows[0]) if rows else None,
                         best_id=next((v.id for v in versions if v.playable), None), versions=versions,
                         resume=resume)


def resume_of(conn: Conn, user_id: uuid.UUID, media_id: int, episode_id: int | None) -> Resume | None:
    """Where this user stopped in a title or episode (None when not started or finished)."""
    row = queries.resume(conn, user_id=user_id, media_id=media_id, episode_id=episode_id)
    if row is None or not row["position_seconds"]:
        return None
    duration = row["duration_seconds"]
    return Resume(position_seconds=float(row["position_seconds"]),
                  duration_seconds=float(duration) if duration is not None else None)


def list_unmatched(query: UnmatchedQuery) -> UnmatchedPage:
    """The review queue: unmatched items with their parse, confidence and best candidates."""
    filters = {"match_state": "unmatched", "media_type": None, "pattern": None}
    with db.connection() as conn:
        total = queries.count(conn, **filters)
        rows = queries.page(conn, **filters, row_limit=query.page_size,
                            row_offset=(query.page - 1) * query.page_size)
    return UnmatchedPage(items=[views.unmatched_card(r) for r in rows], page=query.page, page_size=query.page_size,
                         total=total)


def get_item(item_id: str, principal: object = None) -> LibraryItemDetail:
    """One item with its parse, probe, candidates, streams and subtitles (a kid's: of a title it may reach)."""
    key = item_uuid(item_id)
    with db.connection() as conn:
        content_guard.require_library_item(conn, principal, key, errors.ItemNotFound("No such library item"))
        return _detail(conn, key)


def require_reachable(item_id: str, principal: object) -> None:
    """404 unless the acting profile may reach the item's title (a kid's limit; a grown-up costs nothing)."""
    if contentrating.limit_of(principal) is None:
        return
    key = item_uuid(item_id)
    with db.connection() as conn:
        content_guard.require_library_item(conn, principal, key, errors.ItemNotFound("No such library item"))


def _detail(conn: Conn, key: uuid.UUID) -> LibraryItemDetail:
    row = queries.get(conn, item_id=key)
    if row is None:
        raise errors.ItemNotFound("No such library item")
    detail = views.detail(row, queries.streams_of(conn, item_id=key), queries.subtitles_of(conn, item_id=key))
    syncs = subtitle_sync.syncs_of(conn, key)  # each track's auto-sync, once asked for
    for track in detail.subtitles:
        track.sync = syncs[track.id].state if track.id in syncs else None
    return detail


# --- matching decisions --------------------------------------------------------


def set_match(conn: Conn, item_id: uuid.UUID, outcome: matching.Outcome, source: str | None,
              matched_by: uuid.UUID | None = None) -> None:
    queries.set_match(
        conn, item_id=item_id, match_state=outcome.state, match_confidence=outcome.confidence, match_source=source,
        match_candidates=outcome.candidates, media_id=outcome.media_id, episode_id=outcome.episode_id,
        matched_by=matched_by)


def auto_match(conn: Conn, item: ItemRow) -> matching.Outcome:
    """Match an item against the local catalog, then TMDB when the catalog is not enough."""
    threshold = get_settings().library.match_threshold
    outcome = matching.match_local(conn, item["guess"], threshold)
    if outcome.state != "matched" and upstream.enabled():
        found = upstream.match(conn, item["guess"], threshold)
        if found is not None and (found.confidence or 0) > (outcome.confidence or 0):
            outcome = found
    set_match(conn, item["id"], outcome, "auto")
    return outcome


def _locked(conn: Conn, item_id: str) -> ItemRow:
    row = queries.lock_item(conn, item_id=item_uuid(item_id))
    if row is None:
        raise errors.ItemNotFound("No such library item")
    return row


def _target(conn: Conn, body: MatchRequest) -> tuple[MediaRow, EpisodeRow | None]:
    media = queries.media(conn, media_id=body.media_id)
    if media is None:
        raise errors.MediaNotFound(f"No catalog title with id {body.media_id}")
    if media["media_type"] not in ("movie", "show", "video"):
        raise errors.NotPlayableMedia("Only movies, shows and channel videos can be matched to a video file",
                                      fields={"mediaId": f"a {media['media_type']} cannot be played"})
    episode = None
    if body.episode_id is not None:
        episode = queries.episode(conn, episode_id=body.episode_id)
        if episode is None:
            raise errors.EpisodeNotFound(f"No episode with id {body.episode_id}")
        if episode["media_id"] != media["id"]:
            raise errors.EpisodeOfAnotherShow("That episode belongs to another show",
                                              fields={"episodeId": "not an episode of mediaId"})
    return media, episode


def _check_against_parse(conn: Conn, item: ItemRow, media: MediaRow, episode: EpisodeRow | None,
                         force: bool) -> EpisodeRow | ShowEpisodeRow | None:
    """The episode to link (found from the parse when not given); 409 when the match contradicts the parse."""
    name = matching.ParsedName.from_guess(item["guess"])
    expected = {"movie": "movie", "episode": "show"}.get(name.type or "")
    if expected and expected != media["media_type"] and not force:
        raise errors.MatchContradictsParse(
            f"The file reads as a {name.type} but {media['title']!r} is a {media['media_type']}; "
            "send force=true to match anyway")
    if media["media_type"] != "show" or episode is not None:
        return episode
    found, _ = matching.resolve_episode(conn, media["id"], name)
    if found is None and not force:
        raise errors.MatchContradictsParse(
            "No episode of that show fits the file name; give episodeId, or force=true to link the show only")
    return found


def match_manually(item_id: str, body: MatchRequest, user_id: uuid.UUID) -> MatchResult:
    """Link an item to a movie, or a show and episode, as a person decided (kept across rescans); a show's
    correction also files the item's siblings (see :func:`refile_siblings`)."""
    with db.transaction() as conn:
        item = _locked(conn, item_id)
        media, episode = _target(conn, body)
        found = _check_against_parse(conn, item, media, episode, body.force)
        outcome = matching.Outcome("matched", 1.0, media["id"], found["id"] if found else None,
                                   item["match_candidates"])
        set_match(conn, item["id"], outcome, "manual", user_id)
        refiled = refile_siblings(conn, item, media, user_id)
        get_logger().info("library item matched by hand", extra={
            "action": "library_manual_match", "item_id": str(item["id"]), "media_id": media["id"],
            "episode_id": outcome.episode_id, "refiled_siblings": refiled, "user_id": str(user_id)})
        return MatchResult(**_detail(conn, item["id"]).model_dump(), refiled_siblings=refiled)


def _same_show(sibling: ItemRow, item: ItemRow, title: str) -> bool:
    """Parsed as the corrected item's show: the same parsed title, or auto-matched to the same (wrong) title.
    A person's own decision on the sibling stands."""
    if sibling["match_source"] == "manual":
        return False
    if item["media_id"] is not None and sibling["media_id"] == item["media_id"]:
        return True
    return bool(title) and matching.normalise_title(matching.ParsedName.from_guess(sibling["guess"]).title) == title


def refile_siblings(conn: Conn, item: ItemRow, media: MediaRow, user_id: uuid.UUID) -> int:
    """File the files next to ``item`` (same root and folder) that were parsed as the same show under the
    corrected ``media``, each at the episode its own parse names; returns how many were re-filed.

    A sibling whose episode the show does not have is left for review (an extra, a wrong number)."""
    folder = item["storage_key"].rpartition("/")[0]
    if media["media_type"] != "show" or not folder or folder.endswith("/_long"):
        return 0  # _long: hashed keys of over-long paths, not a folder of the library
    title = matching.normalise_title(matching.ParsedName.from_guess(item["guess"]).title)
    refiled = 0
    for sibling in queries.lock_folder_siblings(conn, item_id=item["id"], folder=f"{folder}/"):
        if not _same_show(sibling, item, title):
            continue
        episode, _ = matching.resolve_episode(conn, media["id"], matching.ParsedName.from_guess(sibling["guess"]))
        if episode is None:
            continue
        set_match(conn, sibling["id"], matching.Outcome("matched", 1.0, media["id"], episode["id"],
                                                        sibling["match_candidates"]), "manual", user_id)
        refiled += 1
    return refiled


def ignore(item_id: str, user_id: uuid.UUID) -> LibraryItemDetail:
    """Keep an item out of the library views and the review queue (kept across rescans)."""
    with db.transaction() as conn:
        item = _locked(conn, item_id)
        set_match(conn, item["id"], matching.Outcome("ignored", None, candidates=item["match_candidates"]),
                  "manual", user_id)
        get_logger().info("library item ignored", extra={"action": "library_ignored", "item_id": str(item["id"]),
                                                         "user_id": str(user_id)})
        return _detail(conn, item["id"])


def reset_match(item_id: str, user_id: uuid.UUID) -> LibraryItemDetail:
    """Forget a manual decision and match the item automatically again."""
    with db.transaction() as conn:
        item = _locked(conn, item_id)
        outcome = auto_match(conn, item)
        get_logger().info("library match reset", extra={"action": "library_match_reset",
                                                        "item_id": str(item["id"]), "state": outcome.state,
                                                        "user_id": str(user_id)})
        return _detail(conn, item["id"])


# --- scans and parsing ----------------------------------------------------------------


def scan_view(row: ScanRow) -> Scan:
    return Scan(id=row["id"], trigger=row["trigger"], status=row["status"], paths=list(row["paths"] or ()),
                accepted_count=row["accepted_count"], indexed_count=row["indexed_count"], error=row["error"],
                created_at=row["created_at"], started_at=row["started_at"], finished_at=row["finished_at"])


def request_rescan(body: RescanRequest, user_id: uuid.UUID) -> Scan:
    """Record a scan and send ``library.rescan`` to the worker (503 when the queue is unreachable)."""
    from botocore.exceptions import BotoCoreError, ClientError  # lazy: botocore only loads when a scan is asked

    with db.transaction() as conn:
        row = queries.insert_scan(conn, requested_by=user_id, trigger="manual", paths=body.paths,
                                  accepted_count=len(body.paths))
        command = LibraryRescan(scan_id=str(row["id"]), paths=body.paths, force=body.force)
        try:
            aws.client("sqs").send_message(QueueUrl=aws.queue_url(get_aws_settings().commands_queue),
                                           MessageBody=command.to_json())
        except (BotoCoreError, ClientError) as exc:
            # Raising rolls the scan row back: no scan is recorded that the worker never heard of.
            raise errors.QueueUnavailable("The worker's command queue is unreachable; try again") from exc
    get_logger().info("library rescan requested", extra={"action": "library_rescan_requested",
                                                         "scan_id": str(row["id"]), "paths": len(body.paths),
                                                         "force": body.force, "user_id": str(user_id)})
    return scan_view(row).model_copy(update={"force": body.force})


def get_scan(scan_id: str) -> Scan:
    """One scan and how far the worker got."""
    try:
        key = uuid.UUID(str(scan_id))
    except ValueError:
        raise errors.ScanNotFound("No such scan") from None
    with db.connection() as conn:
        row = queries.get_scan(conn, scan_id=key)
    if row is None:
        raise errors.ScanNotFound("No such scan")
    return scan_view(row)


def parse_path(path: str) -> ParseResult:
    """The scanner's parse of a path, without indexing anything (the same code the worker runs;
    guessit loads on the first parse, so only this route's first call pays for it)."""
    return ParseResult(path=path, guess=views.guess_of(naming.parse(path)))
