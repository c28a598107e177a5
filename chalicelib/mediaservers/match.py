"""Which catalog title (and episode) each server item is.

Movies and shows by the provider ids their server already matched (TMDB, then IMDb, then TVDB), then by
title and year. A title the catalog does not hold yet but whose TMDB id the server knows is added to the
catalog from the server's own facts (title, year, overview, tagline, dates, seasons and episodes) by
``added``: the sync does it for a few, the catalog fill after the sync (``fill.py``) for a whole new library,
and the title page fetches TMDB's details on its first visit as for any title. Seasons and episodes follow
their show; an episode is its show's episode by season and number.
Everything is a fixed number of statements per chunk of the listing, never one per item.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

import orjson

from chalicelib.catalog import store
from chalicelib.catalog.records import EpisodeRecord, MediaRecord, SeasonRecord
from chalicelib.db import Conn
from chalicelib.mediaservers import queries
from chalicelib.mediaservers.items import ServerItem

STATUS = {"Continuing": "returning", "Ended": "ended"}


@dataclass(frozen=True, slots=True)
class Link:
    media_id: int | None = None
    episode_id: int | None = None


NO_LINK = Link()


def titles(conn: Conn, items: list[ServerItem]) -> dict[str, int]:
    """``{item_id: media id}`` of the movies and shows the catalog holds (an unmatched one is left out)."""
    found = _by_ids(conn, items)
    rest = [i for i in items if i.item_id not in found]
    found.update(_by_title(conn, rest))
    return found


def addable(items: list[ServerItem], found: Mapping[str, int]) -> list[ServerItem]:
    """The titles not found that ``added`` can add: those whose TMDB id the server knows."""
    return [i for i in items if i.item_id not in found and i.ids.tmdb]


def _by_ids(conn: Conn, titles: list[ServerItem]) -> dict[str, int]:
    if not titles:
        return {}
    rows = queries.match_ids(conn, media_types=sorted({i.kind for i in titles}),
                             tmdb_ids=[i.ids.tmdb for i in titles if i.ids.tmdb],
                             imdb_ids=[i.ids.imdb for i in titles if i.ids.imdb],
                             tvdb_ids=[i.ids.tvdb for i in titles if i.ids.tvdb])
    index: dict[tuple[str, str, object], int] = {}
    for row in rows:
        for scheme, value in (("tmdb", row["tmdb_id"]), ("imdb", row["imdb_id"]), ("tvdb", row["tvdb_id"])):
            if value is not None:
                index.setdefault((row["media_type"], scheme, value), row["id"])
    found = {}
    for item in titles:
        for scheme, value in (("tmdb", item.ids.tmdb), ("imdb", item.ids.imdb), ("tvdb", item.ids.tvdb)):
            media_id = index.get((item.kind, scheme, value)) if value else None
            if media_id is not None:
                found[item.item_id] = media_id
                break
    return found


def _by_title(conn: Conn, titles: list[ServerItem]) -> dict[str, int]:
    wanted = [i for i in titles if i.year is not None]
    if not wanted:
        return {}
    keys = [{"media_type": i.kind, "title": i.title, "year": i.year} for i in wanted]
    rows = queries.match_titles(conn, items=orjson.dumps(keys).decode())
    index: dict[tuple[str, str, int | None], int] = {(r["media_type"], r["title"], r["year"]): r["id"] for r in rows}
    found = {i.item_id: index.get((i.kind, i.title.lower(), i.year)) for i in wanted}
    return {item_id: media_id for item_id, media_id in found.items() if media_id is not None}


def added(conn: Conn, titles: list[ServerItem], items: list[ServerItem]) -> dict[str, int]:
    """Titles new to the catalog, stored from the server's facts (a show with the seasons and episodes of
    ``items``, its episodes among them); ``{item_id: media id}``."""
    if not titles:
        return {}
    episodes = defaultdict(list)
    for item in items:
        if item.kind == "episode" and item.parent_id is not None:
            episodes[item.parent_id].append(item)
    records = {item.item_id: record(item, episodes.get(item.item_id, [])) for item in titles}
    ids = store.save(conn, list(records.values()))
    return {item_id: ids[rec.key] for item_id, rec in records.items() if rec.key in ids}


def record(item: ServerItem, episodes: list[ServerItem]) -> MediaRecord:
    """A catalog record from what the server says of a title."""
    facts = item.facts
    rec = MediaRecord(media_type=item.kind, title=item.title, tmdb_id=item.ids.tmdb, imdb_id=item.ids.imdb,
                      tvdb_id=item.ids.tvdb, overview=facts.get("overview"), tagline=facts.get("tagline"),
                      release_date=_date(facts.get("premiered")) or (date(item.year, 1, 1) if item.year else None),
                      last_air_date=_date(facts.get("ended")), status=STATUS.get(facts.get("status", "")),
                      vote_average=facts.get("audienceRating"),
                      extra={"serverGenres": facts["genres"]} if facts.get("genres") else {})
    if item.kind == "show":
        rec.seasons = _seasons(episodes)
    return rec


def _seasons(episodes: list[ServerItem]) -> list[SeasonRecord]:
    by_season: dict[int, list[EpisodeRecord]] = defaultdict(list)
    for ep in episodes:
        if ep.season is not None and ep.episode is not None:
            by_season[ep.season].append(EpisodeRecord(
                season_number=ep.season, episode_number=ep.episode, name=ep.title,
                overview=ep.facts.get("overview"), air_date=_date(ep.facts.get("premiered"))))
    return [SeasonRecord(season_number=n, episodes=sorted(eps, key=lambda e: e.episode_number))
            for n, eps in sorted(by_season.items())]


def children(conn: Conn, items: list[ServerItem], shows: Mapping[str, int | None]) -> dict[str, Link]:
    """Seasons link to their show's title; episodes to the show's episode of that number (an episode the
    catalog's show lacks is added from the server's facts, as for a new show)."""
    found: dict[str, Link] = {}
    wanted: list[tuple[ServerItem, int]] = []
    for item in items:
        show = shows.get(item.parent_id or "") if item.kind in ("season", "episode") else None
        if item.kind == "season":
            found[item.item_id] = Link(show)
        elif item.kind == "episode" and show is not None:
            wanted.append((item, show))
        elif item.kind == "episode":
            found[item.item_id] = Link()
    index = _episode_ids(conn, wanted)
    missing = [(item, show) for item, show in wanted if (show, item.season, item.episode) not in index]
    if missing:
        by_show: dict[int, list[ServerItem]] = defaultdict(list)
        for item, show in missing:
            by_show[show].append(item)
        store.save_seasons(conn, {show: _seasons(eps) for show, eps in by_show.items()})
        index.update(_episode_ids(conn, missing))
    for item, show in wanted:
        found[item.item_id] = Link(show, index.get((show, item.season, item.episode)))
    return found


def _episode_ids(conn: Conn, wanted: list[tuple[ServerItem, int]]) -> dict[tuple[int, int | None, int | None], int]:
    keys = [{"media_id": show, "season_number": i.season, "episode_number": i.episode} for i, show in wanted]
    rows = queries.match_episodes(conn, items=orjson.dumps(keys).decode()) if keys else []
    return {(r["media_id"], r["season_number"], r["episode_number"]): r["id"] for r in rows}


def _date(value: object) -> date | None:
    return date.fromisoformat(value) if isinstance(value, str) else None
