"""Subtitles a library item lacks, fetched from OpenSubtitles; tracks in the user's preferred order.

``ensure`` searches, for each wanted language the item has no track in, by the file's moviehash and
then by the matched title's ids (an episode: the show's ids with season and episode numbers), keeps
the best file per language (a hash match first, then the most downloaded), converts it to WebVTT
with pysubs2 (as the scanner does sidecars), stores it under ``subtitles/opensubtitles/{item}/{lang}.vtt``
and adds a ``library_subtitles`` row of source ``opensubtitles``. A language searched without a result
is not searched again for ``cooldown_hours``; a failed request is simply tried again next time. Every
call has a time budget; without an API key (stored by an admin, else ``OPENSUBTITLES_API_KEY``)
nothing is asked.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any, TypedDict

from chalicelib import aws
from chalicelib.config import get_settings
from chalicelib.db import Conn
from chalicelib.logs import get_logger
from chalicelib.settings import credentials
from chalicelib.subtitles import languages as langs
from chalicelib.subtitles import queries
from chalicelib.subtitles.queries import InsertFetchedRow, ItemRow
from chalicelib.subtitles.vtt import SubtitleUnreadable, to_webvtt

if TYPE_CHECKING:
    from chalicelib.subtitles.opensubtitles import Client, Found

KEY_PREFIX = "subtitles/opensubtitles"
FORMATS = {"srt", "ass", "ssa", "vtt"}


def api_key() -> str | None:
    """The OpenSubtitles key: the admin's stored one, else the environment's; None = feature off."""
    return credentials.stored().opensubtitles_api_key or get_settings().subtitles.opensubtitles_api_key


def preferred_languages(conn: Conn, user_id: uuid.UUID) -> list[str]:
    """The user's subtitle languages in order (the list, else the single ``subtitleLanguage``)."""
    row = queries.user_languages(conn, user_id=user_id)
    if row is None:
        return []
    listed = list(row["subtitle_languages"] or ())
    return listed or ([row["subtitle_language"]] if row["subtitle_language"] else [])


def ordered(rows: Sequence[Any], languages: Sequence[str]) -> list[Any]:
    """Subtitle rows (or models with ``language``) with ``languages`` first, in order, then alphabetical."""
    return langs.ordered(rows, languages)


def ensure(conn: Conn, item_id: uuid.UUID, languages: Sequence[str],
           budget: float | None = None) -> list[InsertFetchedRow]:
    """Fetch the wanted languages the item lacks; returns the new subtitle rows.

    Raises ``OpenSubtitlesFailed`` when the API cannot be asked (after the rows already stored)."""
    settings = get_settings().subtitles
    key = api_key() if languages else None
    item = queries.item(conn, item_id=item_id) if key else None
    if item is None or key is None:
        return []
    since = datetime.now(UTC) - timedelta(hours=settings.cooldown_hours)
    recent = {r["language"] for r in queries.recent_searches(conn, item_id=item_id, since=since)}
    wanted = [tag for tag in langs.missing(item["languages"], languages) if tag not in recent]
    searches = _queries(item)
    if not wanted or not searches:
        return []
    deadline = time.monotonic() + (settings.stream_budget if budget is None else budget)
    from chalicelib.subtitles.opensubtitles import Client, client  # lazy: httpx, only when a fetch happens

    with client(settings) as http:
        api = Client(api_key=key, settings=settings, http=http, deadline=deadline)
        try:
            return _fetch(conn, api, item, wanted, searches)
        finally:
            get_logger().info("opensubtitles asked", extra={
                "action": "subtitles_fetch", "item_id": str(item_id), "languages": wanted,
                "requests": api.requests})


class Search(TypedDict, total=False):
    """The ids of one search (``opensubtitles.Query`` without its languages)."""

    moviehash: str | None
    imdb_id: str | None
    tmdb_id: int | None
    season_number: int | None
    episode_number: int | None
    parent_imdb_id: str | None
    parent_tmdb_id: int | None


def _queries(item: ItemRow) -> list[Search]:
    """The searches worth making, best first: by hash, then by the title's ids."""
    found: list[Search] = []
    if item["oshash"]:
        found.append({"moviehash": item["oshash"]})
    if item["media_type"] == "movie" and (item["tmdb_id"] or item["imdb_id"]):
        found.append({"tmdb_id": item["tmdb_id"]} if item["tmdb_id"] else {"imdb_id": item["imdb_id"]})
    elif item["media_type"] == "show" and item["episode_number"] is not None and (item["tmdb_id"] or item["imdb_id"]):
        episode: Search = {"season_number": item["season_number"], "episode_number": item["episode_number"]}
        if item["tmdb_id"]:
            episode["parent_tmdb_id"] = item["tmdb_id"]
        else:
            episode["parent_imdb_id"] = item["imdb_id"]
        found.append(episode)
    return found


def best(found: Sequence[Found], language: str) -> Found | None:
    """The file to use for ``language``: a hash match first, then the most downloaded."""
    fitting = [f for f in found if langs.covers(f.language, language)]
    return max(fitting, key=lambda f: (f.moviehash_match, f.download_count), default=None)


def _fetch(conn: Conn, api: Client, item: ItemRow, wanted: list[str],
           searches: list[Search]) -> list[InsertFetchedRow]:
    from chalicelib.subtitles.opensubtitles import Query  # lazy: httpx, only when a fetch happens

    picks: dict[str, Found] = {}
    for search in searches:
        remaining = [tag for tag in wanted if tag not in picks]
        if not remaining:
            break
        results = api.search(Query(languages=tuple(langs.opensubtitles_code(t) for t in remaining), **search))
        for tag in remaining:
            pick = best(results, tag)
            if pick is not None:
                picks[tag] = pick
    for tag in wanted:
        if tag not in picks:  # searched everywhere, nothing: not again before the cooldown ends
            queries.mark_searched(conn, item_id=item["id"], language=tag, found=False)
    return [row for tag, pick in picks.items() if (row := _store(conn, api, item["id"], tag, pick)) is not None]


def _store(conn: Conn, api: Client, item_id: uuid.UUID, tag: str, pick: Found) -> InsertFetchedRow | None:
    raw = api.download(pick.file_id)
    try:
        text = to_webvtt(raw)
    except SubtitleUnreadable as exc:
        get_logger().warning("opensubtitles file unreadable", extra={
            "action": "subtitles_unreadable", "item_id": str(item_id), "file_id": pick.file_id, "error": str(exc)})
        queries.mark_searched(conn, item_id=item_id, language=tag, found=False)
        return None
    key = f"{KEY_PREFIX}/{item_id}/{tag}.vtt"
    aws.client("s3").put_object(Bucket=get_settings().aws.bucket, Key=key, Body=text.encode("utf-8"),
                                ContentType="text/vtt; charset=utf-8")
    suffix = (pick.file_name or "").rsplit(".", 1)[-1].lower()
    row = queries.insert_fetched(conn, item_id=item_id, language=tag, label=langs.label(tag), storage_key=key,
                                 format=suffix if suffix in FORMATS else "srt", external_id=str(pick.file_id))
    queries.mark_searched(conn, item_id=item_id, language=tag, found=True)
    return row


def for_stream(conn: Conn, item_id: uuid.UUID, user_id: uuid.UUID) -> list[str]:
    """Before a stream's subtitles are listed: fetch the user's missing languages within a short budget.

    Returns the user's languages (to order the tracks with ``ordered``). Never raises: playback does
    not depend on OpenSubtitles."""
    languages = preferred_languages(conn, user_id)
    _quietly(item_id, "subtitles_fetch_failed", ensure, conn, item_id, languages,
             get_settings().subtitles.stream_budget)
    return languages


def prefetch(conn: Conn, item_id: uuid.UUID, user_id: uuid.UUID) -> list[InsertFetchedRow]:
    """For a next-episode prefetch: the user's missing languages with a longer budget; never raises."""
    return _quietly(item_id, "subtitles_prefetch_failed", ensure, conn, item_id,
                    preferred_languages(conn, user_id), get_settings().subtitles.prefetch_budget)


def _quietly(item_id: uuid.UUID, action: str, fetch: Any, *args: Any) -> list[InsertFetchedRow]:
    try:
        return fetch(*args)
    except Exception as exc:  # logged; whoever asked goes on without the new tracks
        get_logger().warning("subtitles not fetched", extra={
            "action": action, "item_id": str(item_id), "error": f"{type(exc).__name__}: {exc}"[:300]})
        return []
